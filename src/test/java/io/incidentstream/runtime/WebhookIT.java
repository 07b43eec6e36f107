package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.testkit.ApiClient;
import io.incidentstream.testkit.WebhookReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks end to end on a real broker, to receivers on loopback that check both signatures with
 * javax.crypto: every kind of transition arrives, in order, signed; a receiver that is down for a
 * while gets everything once it is back; 410 disables the subscription; a rotated secret signs
 * beside the old one. Each test has its own receiver and a subscription filtered on its own label.
 */
class WebhookIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;

    static TestApp app;
    static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        app = TestApp.start(
                dataDir,
                "webhook-it",
                Map.of(
                        "WEBHOOK_ALLOW_PRIVATE", "true",
                        "WEBHOOK_RETRY_DELAYS", "PT0.5S,PT1S",
                        "EXPIRY_INTERVAL", "PT0.5S"));
        api = app.api();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    /** A subscription to {@code receiver} for alerts labelled {@code test=<label>}; the receiver learns its secret. */
    private static String subscribe(final WebhookReceiver receiver, final String label, final String path)
            throws Exception {
        final JsonNode created = api.post(
                        "/webhooks",
                        Map.of("url", receiver.url(path), "filter", Map.of("labels", List.of("test=" + label))))
                .assertStatus(201)
                .json();
        receiver.secret(created.get("secret").asText());
        return created.get("id").asText();
    }

    private static Map<String, Object> alert(
            final String alertId,
            final String label,
            final String status,
            final Instant checkedAt,
            final Instant validUntil) {
        final Map<String, Object> a = new LinkedHashMap<>();
        a.put("alertId", alertId);
        a.put("status", status);
        a.put("checkedAt", checkedAt.toString());
        a.put("validUntil", validUntil.toString());
        a.put("labels", Map.of("test", label));
        return a;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String incidentId(final String alertId) throws Exception {
        final List<String> ids = new ArrayList<>();
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            final JsonNode data = api.json("/incidents?alertId=" + alertId).get("data");
            if (data.size() == 0) {
                return false;
            }
            ids.add(data.get(0).get("id").asText());
            return true;
        });
        return ids.get(0);
    }

    private static List<String> typesFor(final WebhookReceiver r, final String incidentId) {
        return r.delivered().stream()
                .filter(q -> q.body().path("data").path("id").asText().equals(incidentId))
                .map(WebhookReceiver.Request::type)
                .toList();
    }

    @Test
    void shouldDeliverEveryKindOfTransitionInOrderSignedBothWays() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            subscribe(receiver, "all", "/hooks/all");
            final Instant t = now();
            final Instant far = t.plus(Duration.ofHours(1));
            api.post("/alerts", alert("wh-life", "all", "FIRING", t, far)).assertStatus(202);
            final String id = incidentId("wh-life");
            api.patch("/incidents/" + id, Map.of("status", "acknowledged")).assertStatus(200);
            api.post("/alerts", alert("wh-life", "all", "RESOLVED", t.plusSeconds(1), far))
                    .assertStatus(202);
            await().atMost(WAIT).until(() -> typesFor(receiver, id).size() >= 3);
            api.post("/alerts", alert("wh-life", "all", "FIRING", t.plusSeconds(2), far))
                    .assertStatus(202);
            await().atMost(WAIT).until(() -> typesFor(receiver, id).size() >= 4);
            api.patch("/incidents/" + id, Map.of("assignee", "alice", "note", "taking it"))
                    .assertStatus(200);
            api.delete("/incidents/" + id).assertStatus(204);
            // one that expires: valid for a second, then the expiry sweep closes it
            api.post("/alerts", alert("wh-expiring", "all", "FIRING", now(), now().plusSeconds(1)))
                    .assertStatus(202);
            final String expiring = incidentId("wh-expiring");

            await().atMost(WAIT)
                    .until(() -> typesFor(receiver, id).size() >= 6
                            && typesFor(receiver, expiring).size() >= 2);
            assertEquals(
                    List.of(
                            "incident.opened",
                            "incident.acknowledged",
                            "incident.resolved",
                            "incident.reopened",
                            "incident.updated",
                            "incident.deleted"),
                    typesFor(receiver, id));
            assertEquals(List.of("incident.opened", "incident.expired"), typesFor(receiver, expiring));
            for (WebhookReceiver.Request r : receiver.requests()) {
                assertTrue(r.signed(), "Standard Webhooks signature verifies: " + r.webhookId());
                assertTrue(r.bodySigned(), "X-Incident-Signature-256 verifies: " + r.webhookId());
                assertTrue(Math.abs(r.timestamp() - Instant.now().getEpochSecond()) < 120, "webhook-timestamp is now");
                assertTrue(r.body().has("timestamp"));
            }
            final Set<String> ids = new HashSet<>();
            receiver.requests().forEach(r -> ids.add(r.webhookId()));
            assertEquals(receiver.requests().size(), ids.size(), "one webhook-id per transition");
            // deliveries are ordered per incident, not across them: find this incident's update by its type
            assertEquals(
                    "alice",
                    receiver.delivered().stream()
                            .filter(q ->
                                    q.body().path("data").path("id").asText().equals(id)
                                            && q.type().equals("incident.updated"))
                            .findFirst()
                            .orElseThrow()
                            .body()
                            .path("data")
                            .path("assignee")
                            .asText());
        }
    }

    @Test
    void shouldDeliverEverythingOnceADownReceiverIsBack() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            final String sub = subscribe(receiver, "down", "/hooks/down");
            receiver.down();
            final Instant t = now();
            final List<Map<String, Object>> batch = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                batch.add(alert("wh-down-" + i, "down", "FIRING", t, t.plus(Duration.ofHours(1))));
            }
            api.post("/alerts", batch).assertStatus(202);
            await().atMost(WAIT).until(() -> {
                final JsonNode log =
                        api.json("/webhooks/" + sub + "/deliveries").get("data");
                int retrying = 0;
                for (JsonNode e : log) {
                    retrying += e.get("status").asText().equals("retrying")
                                    && e.get("attempts").asInt() >= 2
                            ? 1
                            : 0;
                }
                return retrying == 5;
            });
            receiver.up();
            await().atMost(WAIT).until(() -> receiver.delivered().size() >= 5);
            final Set<String> delivered = new HashSet<>();
            receiver.delivered().forEach(r -> delivered.add(r.webhookId()));
            assertEquals(5, delivered.size(), "each of the five transitions arrived");
            await().atMost(WAIT).until(() -> {
                final JsonNode log =
                        api.json("/webhooks/" + sub + "/deliveries").get("data");
                return log.size() == 5 && allStatus(log, "delivered");
            });
        }
    }

    private static boolean allStatus(final JsonNode log, final String status) {
        for (JsonNode e : log) {
            if (!e.get("status").asText().equals(status)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void shouldDisableASubscriptionWhoseReceiverAnswersGone() throws Exception {
        try (WebhookReceiver gone = WebhookReceiver.start();
                WebhookReceiver control = WebhookReceiver.start()) {
            final String sub = subscribe(gone, "gone", "/hooks/gone");
            subscribe(control, "gone", "/hooks/control");
            gone.answer(410);
            final Instant t = now();
            api.post("/alerts", alert("wh-gone-1", "gone", "FIRING", t, t.plus(Duration.ofHours(1))))
                    .assertStatus(202);
            await().atMost(WAIT)
                    .until(() -> !api.json("/webhooks/" + sub).get("enabled").asBoolean());
            assertTrue(
                    api.json("/webhooks/" + sub).get("disabledReason").asText().contains("410"));
            gone.answer(200);
            api.post("/alerts", alert("wh-gone-2", "gone", "FIRING", t, t.plus(Duration.ofHours(1))))
                    .assertStatus(202);
            await().atMost(WAIT).until(() -> control.delivered().size() == 2);
            assertEquals(1, gone.requests().size(), "nothing more is sent to a disabled subscription");
        }
    }

    @Test
    void shouldSignWithBothSecretsDuringARotation() throws Exception {
        try (WebhookReceiver oldSecret = WebhookReceiver.start()) {
            final String sub = subscribe(oldSecret, "rotate", "/hooks/rotate");
            final JsonNode rotated = api.post("/webhooks/" + sub + "/rotate-secret", Map.of())
                    .assertStatus(200)
                    .json();
            assertTrue(rotated.has("previousSecretExpiresAt"));
            final Instant t = now();
            api.post("/alerts", alert("wh-rotate", "rotate", "FIRING", t, t.plus(Duration.ofHours(1))))
                    .assertStatus(202);
            await().atMost(WAIT).until(() -> oldSecret.delivered().size() == 1);
            assertTrue(oldSecret.requests().get(0).signed(), "a receiver still on the old secret verifies");
            assertTrue(oldSecret.requests().get(0).bodySigned());
            final JsonNode sub2 = api.json("/webhooks/" + sub);
            assertFalse(sub2.has("secret"), "the secret is never shown again");
        }
    }
}
