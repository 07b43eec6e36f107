package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.testkit.ApiResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker goes away under ingest and comes back on the same log directory and
 * port. While it is away HTTP ingest answers 503 with {@code Retry-After} within about
 * {@code PRODUCE_TIMEOUT} (never 202, never a hang); afterwards the same application instance,
 * not restarted, accepts again, and every alert it acknowledged with 202 is folded exactly once.
 */
class BrokerOutageIT {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerOutageIT.class);
    private static final Duration PRODUCE_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("outage.seconds", 15));
    private static final String TEMPLATE = "outage";
    private static final String FOLD = "outage-fold";

    @TempDir
    Path dir;

    private final Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
    private int checks;

    @Test
    void shouldAnswer503WhileTheBrokerIsAwayAndLoseNothingAcknowledged() throws Exception {
        final Path logDir = dir.resolve("kafka");
        EmbeddedKafka broker = EmbeddedKafka.start(logDir, 0, 2);
        final int port = Integer.parseInt(
                broker.bootstrapServers().substring(broker.bootstrapServers().lastIndexOf(':') + 1));
        final Set<String> acked = new HashSet<>();
        final Set<String> refused = new HashSet<>();
        int foldAcked = 0;
        try (TestApp app = TestApp.start(
                dir.resolve("app"),
                "outage-it",
                Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS",
                        broker.bootstrapServers(),
                        "PRODUCE_TIMEOUT",
                        PRODUCE_TIMEOUT.toString(),
                        "NUM_STANDBY_REPLICAS",
                        "0"))) {
            for (int i = 0; i < 5; i++) {
                assertEquals(202, post(app, FOLD).status());
                foldAcked++;
            }

            final long stopping = System.nanoTime();
            broker.close();
            LOG.info("Broker stopped in {} ms", millisSince(stopping));
            final long stopped = System.nanoTime();
            long slowest = 0;
            int answered503 = 0;
            for (int i = 0; System.nanoTime() - stopped < OUTAGE.toNanos(); i++) {
                final String alertId = "outage-during-" + i;
                final long sent = System.nanoTime();
                final ApiResponse response = post(app, alertId);
                final long took = millisSince(sent);
                slowest = Math.max(slowest, took);
                assertEquals(503, response.status(), () -> "while the broker is away: " + response.body());
                assertTrue(response.header("Retry-After").isPresent(), "503 carries Retry-After");
                assertTrue(took < PRODUCE_TIMEOUT.toMillis() + 2000, "answered in " + took + " ms");
                refused.add(alertId);
                answered503++;
            }
            LOG.info(
                    "Outage: {} requests answered 503, slowest in {} ms (PRODUCE_TIMEOUT {})",
                    answered503,
                    slowest,
                    PRODUCE_TIMEOUT);

            broker = EmbeddedKafka.start(logDir, port, 2);
            final long restarted = System.nanoTime();
            LOG.info("Broker restarted on port {} after {} s", port, OUTAGE.toSeconds());
            final List<Integer> afterRestart = new ArrayList<>();
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        final String alertId = "outage-after-" + afterRestart.size();
                        final int status = post(app, alertId).status();
                        afterRestart.add(status);
                        (status == 202 ? acked : refused).add(alertId);
                        return status == 202;
                    });
            LOG.info(
                    "Ingest accepted again {} ms after the restart ({} requests refused before)",
                    millisSince(restarted),
                    afterRestart.size() - 1);
            for (int i = 0; i < 5; i++) {
                assertEquals(202, post(app, FOLD).status());
                foldAcked++;
            }
            final int expectedFold = foldAcked;
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> foldCount(app) == expectedFold && app.api().status("/health/ready") == 200);
            LOG.info("Streams caught up and ready {} ms after the restart", millisSince(restarted));

            final Map<String, JsonNode> incidents = incidentsByAlert(app);
            assertEquals(
                    expectedFold,
                    incidents.get(FOLD).get("alertCount").asLong(),
                    "every acknowledged fold, exactly once");
            for (String alertId : acked) {
                assertNotNull(incidents.get(alertId), alertId + " was acknowledged");
                assertEquals(1, incidents.get(alertId).get("alertCount").asLong());
            }
            final long storedAnyway =
                    refused.stream().filter(incidents::containsKey).count();
            LOG.info("Of {} refused alerts, {} were stored anyway", refused.size(), storedAnyway);
            assertFalse(acked.isEmpty());
        } finally {
            broker.close();
        }
    }

    private ApiResponse post(final TestApp app, final String alertId) throws Exception {
        final Instant checkedAt = base.plusSeconds(++checks);
        final Map<String, Object> alert = new HashMap<>(Map.of(
                "alertId",
                alertId,
                "alertTemplateId",
                TEMPLATE,
                "status",
                "FIRING",
                "checkedAt",
                checkedAt.toString(),
                "validUntil",
                checkedAt.plus(Duration.ofHours(3)).toString()));
        return app.api().post("/alerts", alert);
    }

    private static long foldCount(final TestApp app) throws Exception {
        final JsonNode data = app.incidents("alertId=" + FOLD);
        return data.isEmpty() ? 0 : data.get(0).get("alertCount").asLong();
    }

    private static Map<String, JsonNode> incidentsByAlert(final TestApp app) throws Exception {
        final Map<String, JsonNode> byAlert = new HashMap<>();
        app.incidents("alertTemplateId=" + TEMPLATE)
                .forEach(i -> byAlert.put(i.get("alertId").asText(), i));
        return byAlert;
    }

    private static long millisSince(final long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
