package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * An instance's {@code STATE_DIR} is deleted while it is stopped; on start it
 * rebuilds every store from the changelogs and answers exactly the same pages as before.
 */
class LostStateIT {
    private static final List<String> QUERIES = List.of(
            "alertTemplateId=lost&limit=7",
            "alertTemplateId=lost&limit=10&order=asc",
            "alertTemplateId=lost&limit=10&sort=updatedAt",
            "alertTemplateId=lost&status=RESOLVED&limit=9&includeCount=true",
            "alertTemplateId=lost&severity=critical,low&status=ACTIVE&limit=5&includeCount=true");

    @TempDir
    Path dir;

    @Test
    void shouldRestoreFromChangelogsAndAnswerTheSamePages() throws Exception {
        try (EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"), 0, 2)) {
            final Map<String, String> env =
                    Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(), "NUM_STANDBY_REPLICAS", "0");
            final Path appDir = dir.resolve("app");
            final Map<String, List<JsonNode>> before;
            try (TestApp app = TestApp.start(appDir, "lost-state-it", env)) {
                ingest(app);
                before = pages(app);
            }
            final Path stateDir = appDir.resolve("state");
            assertTrue(Files.isDirectory(stateDir));
            deleteRecursively(stateDir);
            assertFalse(Files.exists(stateDir));

            final long started = System.nanoTime();
            try (TestApp app = TestApp.start(appDir, "lost-state-it", env)) {
                await().atMost(TestApp.WAIT)
                        .ignoreExceptions()
                        .until(() -> pages(app).equals(before));
                LoggerFactory.getLogger(LostStateIT.class)
                        .info(
                                "Restored from changelogs and answering the same {} pages in {} ms",
                                before.values().stream().mapToInt(List::size).sum(),
                                (System.nanoTime() - started) / 1_000_000);
                assertEquals(before, pages(app));
            }
        }
    }

    /** 120 incidents, a third resolved, some folded several times, mixed severities. */
    private static void ingest(final TestApp app) throws Exception {
        final Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
        final String[] severities = {"critical", "high", "medium", "low"};
        final List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            for (int fold = 0; fold <= i % 3; fold++) {
                final Instant at = base.plusSeconds(i * 10L + fold);
                batch.add(Map.of(
                        "alertId",
                        "lost-" + i,
                        "alertTemplateId",
                        "lost",
                        "status",
                        "FIRING",
                        "severity",
                        severities[i % 4],
                        "checkedAt",
                        at.toString(),
                        "validUntil",
                        at.plus(Duration.ofHours(6)).toString()));
            }
            if (i % 3 == 0) {
                batch.add(Map.of(
                        "alertId",
                        "lost-" + i,
                        "alertTemplateId",
                        "lost",
                        "status",
                        "RESOLVED",
                        "checkedAt",
                        base.plusSeconds(i * 10L + 5).toString()));
            }
        }
        assertEquals(202, app.api().post("/alerts", batch).status());
        // settled: every FIRING folded (40 × (1 + 2 + 3)) and every RESOLVED applied, on every partition
        await().atMost(TestApp.WAIT)
                .ignoreExceptions()
                .until(() -> app.api().totalAlertCount("alertTemplateId=lost") == 240
                        && app.api().count("alertTemplateId=lost&status=RESOLVED") == 40);
    }

    /** Every page of every query, the whole JSON of each page (data, count, nextToken). */
    private static Map<String, List<JsonNode>> pages(final TestApp app) throws Exception {
        final Map<String, List<JsonNode>> all = new LinkedHashMap<>();
        for (String query : QUERIES) {
            all.put(query, app.api().pages(query));
        }
        return all;
    }

    private static void deleteRecursively(final Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
