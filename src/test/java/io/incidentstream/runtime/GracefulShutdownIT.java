package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.testkit.ApiClient;
import io.incidentstream.testkit.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM to a running instance (a child JVM on the shaded jar) under steady
 * ingest. It exits within {@code SHUTDOWN_TIMEOUT}, the next start restores (almost) nothing from the
 * changelogs, and no acknowledged alert is lost or doubled.
 */
class GracefulShutdownIT {
    private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdownIT.class);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(15);
    private static final Pattern RESTORED = Pattern.compile("total number of (\\d+) records");

    @TempDir
    Path dir;

    @Test
    void shouldExitWithinTheTimeoutOnSigtermAndRestartWithoutAFullRestore() throws Exception {
        try (EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"), 0, 2)) {
            final int port = Ports.freePort();
            final ApiClient api = ApiClient.on(port);
            Process child = startChild(broker, port, "first.log");
            final AtomicLong acked = new AtomicLong();
            final AtomicLong lost = new AtomicLong();
            final Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
            try {
                await().atMost(TestApp.WAIT).ignoreExceptions().until(() -> api.status("/health/ready") == 200);
                final AtomicBoolean ingesting = new AtomicBoolean(true);
                final Thread ingest = new Thread(
                        () -> {
                            for (int i = 0; ingesting.get(); i++) {
                                final List<Map<String, Object>> batch = new ArrayList<>();
                                for (int a = 0; a < 10; a++) {
                                    final Instant at = base.plusMillis(i * 10L + a);
                                    batch.add(Map.of(
                                            "alertId",
                                            "term-" + a,
                                            "status",
                                            "FIRING",
                                            "checkedAt",
                                            at.toString(),
                                            "validUntil",
                                            at.plus(Duration.ofHours(3)).toString()));
                                }
                                try {
                                    if (api.post("/alerts", batch).status() == 202) {
                                        acked.addAndGet(batch.size());
                                    }
                                } catch (IOException e) {
                                    if (!e.getClass().getSimpleName().equals("ConnectException")) {
                                        lost.incrementAndGet(); // an answer we did not get: maybe stored, maybe not
                                    }
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        },
                        "steady-ingest");
                ingest.start();
                // the premise below (changelogs that hold the state) is reached before the signal, however
                // slowly this machine folds: caching folds a commit's updates of one incident into one record
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> acked.get() >= 500 && changelogRecords(broker) > 400);

                final long signalled = System.nanoTime();
                child.destroy(); // SIGTERM
                assertTrue(child.waitFor(SHUTDOWN_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS), "exited");
                final long exitMillis = (System.nanoTime() - signalled) / 1_000_000;
                ingesting.set(false);
                ingest.join();
                LOG.info(
                        "SIGTERM under ingest: exit code {} after {} ms (SHUTDOWN_TIMEOUT {}); {} alerts acknowledged, {} unanswered",
                        child.exitValue(),
                        exitMillis,
                        SHUTDOWN_TIMEOUT,
                        acked.get(),
                        lost.get());
                assertTrue(exitMillis < SHUTDOWN_TIMEOUT.toMillis(), "exit took " + exitMillis + " ms");
                assertTrue(child.exitValue() == 143 || child.exitValue() == 0, "exit code " + child.exitValue());

                // Kafka Streams 4.3 keeps a RocksDB store's changelog offsets inside the store (KIP-1035;
                // the .checkpoint file is legacy and absent), so what shows a clean close is the restore
                // the next start does not need: the changelog records it replays, against all there are.
                assertFalse(taskDirs(dir.resolve("app/state")).isEmpty(), "the state directory kept its tasks");

                final long restarting = System.nanoTime();
                child = startChild(broker, port, "second.log");
                await().atMost(TestApp.WAIT).ignoreExceptions().until(() -> api.status("/health/ready") == 200);
                final long restored = restoredRecords("second.log");
                final long changelog = changelogRecords(broker);
                LOG.info(
                        "Restart ready in {} ms; changelog records restored: {} of {} in the changelogs",
                        (System.nanoTime() - restarting) / 1_000_000,
                        restored,
                        changelog);
                assertTrue(changelog > 400, "the changelogs hold the state: " + changelog);
                assertTrue(
                        restored < changelog / 20,
                        "no full restore after a clean shutdown: " + restored + " of " + changelog);
                // the indexes are not changelogged: built on the first start, kept as they were after the clean close
                assertTrue(
                        Files.readString(dir.resolve("first.log")).contains(REBUILT),
                        "the first start builds the indexes");
                assertFalse(
                        Files.readString(dir.resolve("second.log")).contains(REBUILT),
                        "a clean restart keeps the indexes");
                // each acknowledged FIRING opened one of the ten incidents or folded into it: alertCount sums them
                await().atMost(TestApp.WAIT)
                        .ignoreExceptions()
                        .until(() -> api.totalAlertCount("limit=100") >= acked.get());
                final long stored = api.totalAlertCount("limit=100");
                if (lost.get() == 0) {
                    assertEquals(acked.get(), stored, "every acknowledged alert exactly once");
                } else {
                    assertTrue(
                            stored >= acked.get() && stored <= acked.get() + 10 * lost.get(),
                            stored + " stored, " + acked.get() + " acknowledged");
                }
            } finally {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** What {@code IncidentProcessor} logs when a task rebuilds its indexes from the incidents. */
    private static final String REBUILT = "rebuilt the list, expiry and retention indexes";

    private Process startChild(final EmbeddedKafka broker, final int port, final String log) throws IOException {
        final Path jar = Path.of("target", "incident-stream.jar");
        assertTrue(Files.exists(jar), "the shaded jar is built in the package phase, before integration tests");
        final ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", jar.toString());
        pb.environment()
                .putAll(Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS",
                        broker.bootstrapServers(),
                        "APPLICATION_ID",
                        "shutdown-it",
                        "HTTP_PORT",
                        Integer.toString(port),
                        "DATA_DIR",
                        dir.resolve("app").toString(),
                        "NUM_STANDBY_REPLICAS",
                        "0",
                        "TOPIC_PARTITIONS",
                        "2",
                        "SHUTDOWN_TIMEOUT",
                        SHUTDOWN_TIMEOUT.toString(),
                        // no record cache: every fold reaches the changelog, so there is a real restore to avoid
                        // (with the cache, ten re-fired incidents coalesce into a few hundred changelog records)
                        "KAFKA_STREAMS_STATESTORE_CACHE_MAX_BYTES",
                        "0"));
        pb.redirectErrorStream(true)
                .redirectOutput(
                        ProcessBuilder.Redirect.appendTo(dir.resolve(log).toFile()));
        return pb.start();
    }

    /** Task directories (like {@code 0_1}) that hold stores. */
    private static List<Path> taskDirs(final Path stateDir) throws IOException {
        try (Stream<Path> paths = Files.walk(stateDir, 2)) {
            return paths.filter(p ->
                            p.getFileName().toString().matches("\\d+_\\d+") && Files.isDirectory(p.resolve("rocksdb")))
                    .toList();
        }
    }

    /** Records in this application's changelog topics: what a full restore replays. */
    private static long changelogRecords(final EmbeddedKafka broker) throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (String topic : admin.listTopics().names().get()) {
                if (topic.startsWith("shutdown-it-") && topic.endsWith("-changelog")) {
                    admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get()
                            .get(topic)
                            .partitions()
                            .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
                }
            }
            long total = 0;
            for (var offsets : admin.listOffsets(latest).all().get().values()) {
                total += offsets.offset();
            }
            return total;
        }
    }

    private long restoredRecords(final String log) throws IOException {
        long total = 0;
        final Matcher m = RESTORED.matcher(Files.readString(dir.resolve(log)));
        while (m.find()) {
            total += Long.parseLong(m.group(1));
        }
        return total;
    }
}
