package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.testkit.ApiClient;
import io.incidentstream.testkit.Ports;
import io.incidentstream.testkit.WebhookReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deliveries survive a SIGKILL: the app (the shaded jar, in its own JVM) is killed while every
 * delivery is being retried (the receiver answers 503), and after a restart on the same data each
 * transition reaches the receiver; repeats, if any, carry the same {@code webhook-id}.
 */
class WebhookCrashIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int INCIDENTS = 5;

    @TempDir
    Path dir;

    @Test
    void shouldDeliverEveryTransitionAfterASigkillMidRetry() throws Exception {
        final int port = Ports.freePort();
        try (EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"), 0, 2);
                WebhookReceiver receiver = WebhookReceiver.start()) {
            final Map<String, String> env =
                    TestApp.instanceEnv(broker.bootstrapServers(), "webhook-crash-it", port, dir.resolve("app"));
            env.put("TOPIC_PARTITIONS", "2");
            env.put("NUM_STANDBY_REPLICAS", "0");
            env.put("WEBHOOK_ALLOW_PRIVATE", "true");
            env.put("WEBHOOK_RETRY_DELAYS", "PT1S");
            try (ChildApp child = ChildApp.start(env, dir.resolve("app.log"))) {
                final ApiClient api = ApiClient.on(port);
                await().atMost(WAIT).until(() -> api.status("/health/ready") == 200);
                receiver.answer(503);
                receiver.secret(api.post("/webhooks", Map.of("url", receiver.url("/hook"), "events", List.of("opened")))
                        .assertStatus(201)
                        .json()
                        .get("secret")
                        .asText());
                final Instant t = Instant.now();
                final List<Map<String, Object>> batch = new ArrayList<>();
                for (int i = 0; i < INCIDENTS; i++) {
                    batch.add(Map.of(
                            "alertId",
                            "crash-" + i,
                            "status",
                            "FIRING",
                            "checkedAt",
                            t.toString(),
                            "validUntil",
                            t.plus(Duration.ofHours(1)).toString()));
                }
                api.post("/alerts", batch).assertStatus(202);
                // every transition has been tried and is waiting on the retry topic
                await().atMost(WAIT)
                        .until(() -> ids(receiver.requests()).size() == INCIDENTS
                                && receiver.requests().size() >= 2 * INCIDENTS);
                child.kill();
                final int beforeRestart = receiver.requests().size();
                receiver.answer(200);
                child.restart();
                await().atMost(WAIT).until(() -> ids(receiver.delivered()).size() == INCIDENTS);
                final Set<String> all = ids(receiver.requests());
                assertEquals(INCIDENTS, all.size(), "repeats only with a webhook-id already sent");
                assertTrue(receiver.requests().size() > beforeRestart, "delivered by the restarted instance");
                receiver.requests().forEach(r -> assertTrue(r.signed() && r.bodySigned(), "signed: " + r.webhookId()));
            }
        }
    }

    private static Set<String> ids(final List<WebhookReceiver.Request> requests) {
        final Set<String> ids = new HashSet<>();
        requests.forEach(r -> ids.add(r.webhookId()));
        return ids;
    }
}
