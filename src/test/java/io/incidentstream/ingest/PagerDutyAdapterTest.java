package io.incidentstream.ingest;

import static io.incidentstream.ingest.Payloads.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.ingest.PagerDutyAdapter.Accepted;
import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.AlertStatus;
import io.incidentstream.model.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PagerDuty Events API v2: the documented example events, and the errors PagerDuty would report. */
class PagerDutyAdapterTest {
    private static final Duration PAGERDUTY_TTL = Duration.ofHours(24);
    private static final Instant RECEIVED = Instant.parse("2026-11-25T16:38:00Z");
    private static final String ROUTING_KEY = "e93facc04764012d7bfb002500d5d1a6";

    private final PagerDutyAdapter adapter = new PagerDutyAdapter(
            new AlertDecoder(Duration.ofMinutes(5)), PAGERDUTY_TTL, () -> "3f1c2b7a9d8e4f60a1b2c3d4e5f60718");

    private Accepted translate(final String body) {
        return adapter.translate(bytes(body), RECEIVED);
    }

    private List<String> errors(final String body) {
        return assertThrows(InvalidPagerDutyEventException.class, () -> translate(body))
                .errors();
    }

    @Test
    void shouldMapTheDocumentedTriggerExample() {
        final Accepted accepted = translate(Payloads.sharedExample("pagerduty-events-v2-trigger.json"));
        assertEquals("srv01/mysql", accepted.dedupKey());
        final AlertEvent event = accepted.event();
        assertEquals("srv01/mysql", event.alertId());
        assertEquals(AlertStatus.FIRING, event.status());
        assertEquals(RECEIVED, event.checkedAt());
        assertEquals(
                RECEIVED.plus(PAGERDUTY_TTL),
                event.validUntil(),
                "a trigger holds until resolved, up to PAGERDUTY_TTL");
        assertEquals(Severity.CRITICAL, event.severity());
        assertEquals("DISK at 99% on machine prod-datapipe03.example.com", event.title());
        assertEquals("disk", event.alertTemplateId());
        assertEquals(
                Map.of(
                        "source",
                        "prod-datapipe03.example.com",
                        "component",
                        "mysql",
                        "group",
                        "prod-datapipe",
                        "class",
                        "disk",
                        "pagerduty_integration",
                        PagerDutyAdapter.integration(ROUTING_KEY)),
                event.labels());
        assertEquals("1%", event.reportData().at("/custom_details/free space").asText());
        assertEquals(0.75, event.reportData().at("/custom_details/load avg").asDouble());
        assertEquals(
                "2015-07-17T08:42:58.315Z", event.reportData().get("timestamp").asText(), "+0000 offsets are read");
        assertEquals(
                "Sample Monitoring Service", event.reportData().get("client").asText());
        assertEquals(
                "https://monitoring.service.com",
                event.reportData().get("client_url").asText());
        assertEquals(
                "pagerduty-events-v2", event.reportData().get("receivedVia").asText());
    }

    @Test
    void shouldNeverStoreTheRoutingKey() {
        final AlertEvent event = translate(Payloads.sharedExample("pagerduty-events-v2-trigger.json"))
                .event();
        assertFalse(event.toString().contains(ROUTING_KEY), "the integration key is a credential");
        assertTrue(event.labels().get("pagerduty_integration").matches("sha256:[0-9a-f]{12}"));
    }

    @Test
    void shouldGenerateAndReturnADedupKeyForATriggerWithoutOne() {
        final Accepted accepted = translate("""
            {"routing_key": "samplekeyhere", "event_action": "trigger",
             "payload": {"summary": "Example alert on host1.example.com", "source": "host1", "severity": "info"}}""");
        assertEquals("3f1c2b7a9d8e4f60a1b2c3d4e5f60718", accepted.dedupKey());
        assertEquals(accepted.dedupKey(), accepted.event().alertId());
        assertEquals(Severity.LOW, accepted.event().severity());
    }

    @Test
    void shouldGenerateADifferentKeyEachTimeByDefault() {
        final PagerDutyAdapter random = new PagerDutyAdapter(new AlertDecoder(Duration.ofMinutes(5)), PAGERDUTY_TTL);
        final String body = "{\"routing_key\": \"k\", \"event_action\": \"trigger\", "
                + "\"payload\": {\"summary\": \"s\", \"source\": \"h\", \"severity\": \"info\"}}";
        final String first = random.translate(bytes(body), RECEIVED).dedupKey();
        assertTrue(first.matches("[0-9a-f]{32}"), first);
        assertFalse(first.equals(random.translate(bytes(body), RECEIVED).dedupKey()));
    }

    @Test
    void shouldMapTheDocumentedResolveExample() {
        final Accepted accepted = translate("{\"routing_key\": \"routingkeyhere\", \"dedup_key\": \"dedupkeyhere\", "
                + "\"event_action\": \"resolve\"}");
        assertEquals("dedupkeyhere", accepted.dedupKey());
        assertEquals(AlertStatus.RESOLVED, accepted.event().status());
        assertEquals("dedupkeyhere", accepted.event().alertId());
        assertEquals(RECEIVED, accepted.event().checkedAt());
        assertNull(accepted.event().title());
    }

    @Test
    void shouldRefuseTheDocumentedAcknowledgeExampleUntilIncidentsCanBeAcknowledged() {
        final List<String> errors = errors("{\"routing_key\": \"routingkeyhere\", \"dedup_key\": \"dedupkeyhere\", "
                + "\"event_action\": \"acknowledge\"}");
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("not supported yet"), errors.get(0));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({"critical,CRITICAL", "error,HIGH", "warning,MEDIUM", "info,LOW"})
    void shouldMapPagerDutySeverities(final String severity, final Severity expected) {
        final Accepted accepted = translate("{\"routing_key\": \"k\", \"event_action\": \"trigger\", "
                + "\"payload\": {\"summary\": \"s\", \"source\": \"h\", \"severity\": \"" + severity + "\"}}");
        assertEquals(expected, accepted.event().severity());
    }

    @Test
    void shouldReportEveryProblemOfAnEventAtOnce() {
        final List<String> errors = errors("{\"event_action\": \"trigger\", \"payload\": {\"severity\": \"fatal\", "
                + "\"timestamp\": \"yesterday\"}}");
        assertEquals(5, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("routing_key"), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.contains("payload.summary")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.contains("payload.source")), errors.toString());
        assertTrue(
                errors.stream().anyMatch(e -> e.contains("payload.severity must be critical, error, warning or info")),
                errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.contains("payload.timestamp")), errors.toString());
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(
            strings = {
                "",
                "not json",
                "[]",
                "\"event\"",
                "{\"routing_key\": \"k\"}",
                "{\"routing_key\": \"k\", \"event_action\": \"explode\", \"dedup_key\": \"d\"}",
                "{\"routing_key\": \"k\", \"event_action\": \"resolve\"}",
                "{\"routing_key\": \"k\", \"event_action\": \"trigger\"}",
                "{\"routing_key\": \"k\", \"event_action\": \"trigger\", \"payload\": \"text\"}",
                "{\"routing_key\": 42, \"event_action\": \"resolve\", \"dedup_key\": \"d\"}",
                "{\"routing_key\": \"k\", \"event_action\": \"resolve\", \"dedup_key\": 7}",
                "{\"routing_key\": \"k\", \"event_action\": \"trigger\", \"payload\": {\"summary\": \"s\", \"source\": \"h\", "
                        + "\"severity\": \"info\", \"component\": [\"db\"]}}"
            })
    void shouldRejectAnInvalidEvent(final String body) {
        assertFalse(errors(body).isEmpty());
    }

    @Test
    void shouldRefuseADedupKeyLongerThanPagerDutyAllows() {
        final String key = "k".repeat(PagerDutyAdapter.MAX_DEDUP_KEY_LENGTH + 1);
        assertTrue(errors("{\"routing_key\": \"k\", \"event_action\": \"resolve\", \"dedup_key\": \"" + key + "\"}")
                .get(0)
                .contains("dedup_key"));
        assertEquals(
                AlertStatus.RESOLVED,
                translate("{\"routing_key\": \"k\", \"event_action\": \"resolve\", \"dedup_key\": \"" + key.substring(1)
                                + "\"}")
                        .event()
                        .status());
    }

    @Test
    void shouldTurnANativeLimitIntoAPagerDutyError() {
        final List<String> errors =
                errors("{\"routing_key\": \"k\", \"event_action\": \"trigger\", \"payload\": {\"summary\": \"s\", "
                        + "\"source\": \"" + "h".repeat(2000) + "\", \"severity\": \"info\"}}");
        assertTrue(errors.get(0).contains("label source is too long"), errors.toString());
    }
}
