package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.testkit.ApiClient;
import io.incidentstream.testkit.WebhookReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a silence ends, by {@code DELETE} or by its {@code endsAt} passing, the subscribers hear once of
 * each incident it muted that is still open and muted by nothing else ({@code incident.unsilenced}),
 * signed like any delivery, to a real receiver on loopback; a resolved incident and one another silence
 * still mutes are not sent.
 */
class UnsilencedWebhookIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;

    private static Map<String, Object> alert(final String alertId, final String status, final Instant at) {
        final Map<String, Object> a = new LinkedHashMap<>();
        a.put("alertId", alertId);
        a.put("status", status);
        a.put("checkedAt", at.toString());
        a.put("validUntil", at.plus(Duration.ofHours(1)).toString());
        a.put("labels", Map.of("test", "unsilence", "window", alertId.equals("uns-expiring") ? "short" : "long"));
        return a;
    }

    private static Map<String, Object> silence(final String name, final String value, final Instant endsAt) {
        return Map.of(
                "matchers", List.of(Map.of("name", name, "value", value, "isRegex", false)),
                "startsAt", Instant.now().toString(),
                "endsAt", endsAt.toString(),
                "createdBy", "it",
                "comment", "maintenance");
    }

    private static String silenceId(final ApiClient api, final Map<String, Object> silence) throws Exception {
        return api.post("/api/v2/silences", silence)
                .assertStatus(200)
                .json()
                .get("silenceID")
                .asText();
    }

    private static String incidentId(final ApiClient api, final String alertId) {
        final List<String> ids = new ArrayList<>();
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            final JsonNode data = api.json("/incidents?alertId=" + alertId).get("data");
            return data.size() > 0 && ids.add(data.get(0).get("id").asText());
        });
        return ids.get(0);
    }

    private static List<WebhookReceiver.Request> unsilenced(final WebhookReceiver r, final String incidentId) {
        return r.delivered().stream()
                .filter(q -> q.type().equals("incident.unsilenced")
                        && q.body().at("/data/id").asText().equals(incidentId))
                .toList();
    }

    @Test
    void shouldNotifyOnceWhenASilenceEndsOnAStillFiringIncident() throws Exception {
        try (TestApp app = TestApp.start(dataDir, "unsilenced-it", Map.of("WEBHOOK_ALLOW_PRIVATE", "true"));
                WebhookReceiver receiver = WebhookReceiver.start()) {
            final ApiClient api = app.api();
            final JsonNode sub = api.post(
                            "/webhooks",
                            Map.of(
                                    "url",
                                    receiver.url("/hooks"),
                                    "filter",
                                    Map.of("labels", List.of("test=unsilence"))))
                    .assertStatus(201)
                    .json();
            receiver.secret(sub.get("secret").asText());
            final Instant far = Instant.now().plus(Duration.ofHours(1));
            final String deleted = silenceId(api, silence("window", "long", far));
            final String other = silenceId(api, silence("alertId", "uns-muted", far));
            final String expiring = silenceId(
                    api, silence("alertId", "uns-expiring", Instant.now().plusSeconds(2)));
            final Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            api.post(
                            "/alerts",
                            List.of(
                                    alert("uns-firing", "FIRING", t),
                                    alert("uns-resolved", "FIRING", t),
                                    alert("uns-muted", "FIRING", t),
                                    alert("uns-expiring", "FIRING", t)))
                    .assertStatus(202);
            final String firing = incidentId(api, "uns-firing");
            final String resolved = incidentId(api, "uns-resolved");
            final String muted = incidentId(api, "uns-muted");
            final String expired = incidentId(api, "uns-expiring");
            api.post("/alerts", alert("uns-resolved", "RESOLVED", t.plusSeconds(1)))
                    .assertStatus(202);
            await().atMost(WAIT)
                    .until(() -> api.json("/incidents/" + resolved)
                            .get("status")
                            .asText()
                            .equals("RESOLVED"));

            // the expiring silence ends by itself; the first is ended by hand
            await().atMost(WAIT).until(() -> unsilenced(receiver, expired).size() == 1);
            api.delete("/api/v2/silence/" + deleted).assertStatus(200);
            await().atMost(WAIT).until(() -> unsilenced(receiver, firing).size() == 1);

            final WebhookReceiver.Request byHand = unsilenced(receiver, firing).get(0);
            assertEquals(deleted, byHand.body().get("silenceId").asText());
            assertEquals("ACTIVE", byHand.body().at("/data/status").asText());
            assertEquals(false, byHand.body().at("/data/silenced").asBoolean(true));
            assertTrue(byHand.webhookId().startsWith(firing + ":unsilenced:" + deleted + ":"), byHand.webhookId());
            assertEquals(
                    expiring,
                    unsilenced(receiver, expired).get(0).body().get("silenceId").asText());
            for (WebhookReceiver.Request r : receiver.requests()) {
                assertTrue(r.signed() && r.bodySigned(), "signed both ways: " + r.webhookId());
            }
            // the other silence still muted it when the first ended; it is told of once that one ends too
            api.delete("/api/v2/silence/" + other).assertStatus(200);
            await().atMost(WAIT).until(() -> unsilenced(receiver, muted).size() == 1);
            assertEquals(1, unsilenced(receiver, firing).size(), "once per incident and ending");
            assertEquals(1, unsilenced(receiver, expired).size(), "once per incident and ending");
            assertEquals(
                    List.of(),
                    receiver.delivered().stream()
                            .filter(q -> q.body().at("/data/id").asText().equals(resolved))
                            .map(WebhookReceiver.Request::type)
                            .toList(),
                    "a resolved incident is not told about, nor was anything sent while it was silenced");
        }
    }
}
