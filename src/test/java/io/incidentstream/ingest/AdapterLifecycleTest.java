package io.incidentstream.ingest;

import static io.incidentstream.ingest.Payloads.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.Incident;
import io.incidentstream.model.Lifecycle;
import io.incidentstream.model.Lifecycle.Outcome;
import io.incidentstream.model.Status;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What the adapters' events do to an incident, through the real (pure) lifecycle: the reason the
 * adapters check alerts at their receive time rather than at the sender's {@code startsAt} and
 * {@code endsAt}.
 */
class AdapterLifecycleTest {
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final Instant T0 = Instant.parse("2026-11-25T16:38:00Z");

    private final AlertDecoder decoder = new AlertDecoder(TTL);
    private final AlertmanagerAdapter alertmanager = new AlertmanagerAdapter(decoder);
    private final PagerDutyAdapter pagerDuty = new PagerDutyAdapter(decoder, Duration.ofHours(24), () -> "generated");
    private final Lifecycle lifecycle = new Lifecycle(Duration.ofMinutes(10));
    private Incident incident;

    private Outcome apply(final AlertEvent event) {
        final Lifecycle.Result result = lifecycle.apply(incident, event, () -> "incident.0.1");
        incident = result.incident();
        return result.outcome();
    }

    private AlertEvent webhook(final String capture, final Instant receivedAt) {
        return alertmanager
                .fromWebhook(bytes(Payloads.captured(capture)), receivedAt)
                .get(0);
    }

    @Test
    void shouldFoldEachAlertmanagerReNotificationAndResolveEvenWhenEndsAtIsOlderThanTheLastOne() {
        assertEquals(Outcome.OPENED, apply(webhook("alertmanager-0.25-webhook-firing.json", T0)));
        assertEquals(
                Outcome.FOLDED,
                apply(webhook("alertmanager-0.25-webhook-firing.json", T0.plus(Duration.ofHours(4)))),
                "a repeat_interval later the same payload (same startsAt) is a new check");
        assertEquals(2, incident.alertCount());
        assertEquals(T0.plus(Duration.ofHours(4)).plus(TTL), incident.validUntil(), "validUntil moved forward");
        // the resolved payload's endsAt (16:37:55) lies before both firing notifications
        assertEquals(
                Outcome.RESOLVED,
                apply(webhook(
                        "alertmanager-0.25-webhook-resolved.json",
                        T0.plus(Duration.ofHours(4).plusSeconds(1)))));
        assertEquals(Status.RESOLVED, incident.status());
    }

    @Test
    void shouldFoldPrometheusResendsAndMoveValidUntilToTheNewestEndsAt() {
        final String first = Payloads.captured("prometheus-2.42-postable-alerts.json");
        final String resend = first.replace("2026-11-25T16:38:01.591Z", "2026-11-25T16:38:03.591Z");
        assertEquals(
                Outcome.OPENED,
                apply(alertmanager
                        .fromApi(bytes(first), Instant.parse("2026-11-25T16:37:57.6Z"))
                        .get(0)));
        assertEquals(
                Outcome.FOLDED,
                apply(alertmanager
                        .fromApi(bytes(resend), Instant.parse("2026-11-25T16:37:59.6Z"))
                        .get(0)));
        assertEquals(Instant.parse("2026-11-25T16:38:03.591Z"), incident.validUntil());
        final String resolved = first.replace("2026-11-25T16:38:01.591Z", "2026-11-25T16:38:00.591Z");
        assertEquals(
                Outcome.RESOLVED,
                apply(alertmanager
                        .fromApi(bytes(resolved), Instant.parse("2026-11-25T16:38:01.6Z"))
                        .get(0)));
    }

    @Test
    void shouldOpenOnAPagerDutyTriggerAndResolveOnItsResolve() {
        final String trigger = Payloads.sharedExample("pagerduty-events-v2-trigger.json");
        assertEquals(
                Outcome.OPENED, apply(pagerDuty.translate(bytes(trigger), T0).event()));
        assertEquals(
                Outcome.FOLDED,
                apply(pagerDuty.translate(bytes(trigger), T0.plusSeconds(30)).event()),
                "a repeated trigger with the same timestamp is still a new check");
        final String resolve =
                "{\"routing_key\": \"e93facc04764012d7bfb002500d5d1a6\", \"dedup_key\": \"srv01/mysql\", "
                        + "\"event_action\": \"resolve\"}";
        assertEquals(
                Outcome.RESOLVED,
                apply(pagerDuty.translate(bytes(resolve), T0.plusSeconds(60)).event()));
        assertEquals(T0.plusSeconds(60), incident.resolvedAt());
    }
}
