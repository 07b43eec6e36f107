package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.config.Config;
import io.incidentstream.testkit.ApiClient;
import io.incidentstream.testkit.ApiResponse;
import io.incidentstream.testkit.Ports;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a client sees while the instances behind it restart, as on every deploy: three static members
 * (A in this JVM with the embedded broker, B and C child JVMs on the shaded jar, one standby per
 * partition), 60 incidents, and a client listing through A every 100 ms. B and C are restarted in
 * turn (SIGTERM, start again on the same state directory); then C is SIGKILLed and left dead. For
 * each phase it reports the share of 503s, the longest stretch without a complete answer, and the
 * largest staleness served, and holds them to the targets: a rolling restart costs at most 1 % 503s
 * and a second without a complete answer; a crash at most the session timeout, with standby reads
 * meanwhile. Writes during the restart: ingest answers 202 and a command 200 or 202, never a 5xx.
 * A complete answer lists every incident once; a stale one (a standby copy that lags) may lack the
 * incidents its copy has not caught up on, and says so with {@code X-Incident-Staleness}; anything
 * else is wrong.
 */
class RollingRestartIT {
    private static final Logger LOG = LoggerFactory.getLogger(RollingRestartIT.class);
    private static final String APP = "rolling-it";
    private static final int INCIDENTS = 60;
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration START_WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void shouldKeepAnsweringCompletelyThroughARollingRestartAndThroughACrash() throws Exception {
        final int kafkaPort = Ports.freePort();
        final Map<String, String> envA = env("a", Ports.freePort());
        envA.remove("KAFKA_BOOTSTRAP_SERVERS");
        envA.put("EMBEDDED_KAFKA_PORT", Integer.toString(kafkaPort));
        final int portB = Ports.freePort();
        final int portC = Ports.freePort();
        try (Application a = Application.start(Config.from(envA));
                ChildApp b = ChildApp.start(env("b", portB, a.bootstrapServers()), dir.resolve("b.log"));
                ChildApp c = ChildApp.start(env("c", portC, a.bootstrapServers()), dir.resolve("c.log"))) {
            final ApiClient api = ApiClient.on(a.httpPort()).withTimeout(Duration.ofSeconds(5));
            final List<Map<String, Object>> alerts = new ArrayList<>();
            for (int i = 0; i < INCIDENTS; i++) {
                alerts.add(Map.of(
                        "alertId",
                        "roll-" + i,
                        "status",
                        "FIRING",
                        "checkedAt",
                        Instant.now().toString()));
            }
            api.post("/alerts", alerts).assertStatus(202);
            await().atMost(START_WAIT)
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> complete(api.get("/incidents?limit=100")) && ready(portB) && ready(portC));
            final Set<String> ids = ids(api.json("/incidents?limit=100"));

            final Prober rolling = new Prober(api, ids).start();
            restart(b, portB, api);
            restart(c, portC, api);
            final Figures rolled = rolling.stop();
            LOG.info("Rolling restart of B and C, listing through A every 100 ms: {}", rolled);

            final Prober crash = new Prober(api, ids).start();
            c.kill();
            // C stays a member until its session times out; then its partitions move to their standbys
            await().atMost(SESSION_TIMEOUT.plus(START_WAIT))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> crash.freshAfter(SESSION_TIMEOUT));
            final Figures crashed = crash.stop();
            LOG.info("SIGKILL of C (session timeout {} s): {}", SESSION_TIMEOUT.toSeconds(), crashed);

            assertTrue(rolled.unavailableShare() <= 0.01, "rolling restart: " + rolled);
            assertTrue(rolled.longestGapMillis() <= 1000, "rolling restart: " + rolled);
            assertTrue(rolled.wrong() == 0, "rolling restart: " + rolled);
            assertTrue(crashed.longestGapMillis() <= SESSION_TIMEOUT.toMillis(), "SIGKILL: " + crashed);
            assertTrue(crashed.staleAnswers() > 0, "the dead member's partitions were read from standbys: " + crashed);
            assertTrue(crashed.wrong() == 0, "SIGKILL: " + crashed);
            assertEquals(ids, ids(api.json("/incidents?limit=100")));
        }
    }

    /**
     * SIGTERM, then, while the instance is down, a batch of alerts and an acknowledgement of one incident
     * of every partition through A, and the start on the same state directory; returns once it is ready.
     */
    private static void restart(final ChildApp instance, final int port, final ApiClient api) throws Exception {
        instance.terminate(Duration.ofSeconds(30));
        final ExecutorService writers = Executors.newFixedThreadPool(7);
        try {
            final List<Future<Integer>> answers = new ArrayList<>();
            answers.add(writers.submit(() -> api.post(
                            "/alerts",
                            List.of(Map.of(
                                    "alertId",
                                    "roll-0",
                                    "status",
                                    "FIRING",
                                    "checkedAt",
                                    Instant.now().toString())))
                    .status()));
            for (String id : onePerPartition(api)) {
                answers.add(writers.submit(() -> api.patch("/incidents/" + id, Map.of("severity", "critical"))
                        .status()));
            }
            instance.restart();
            for (Future<Integer> answer : answers) {
                final int status = answer.get();
                assertTrue(status == 200 || status == 202, "a write during the restart answered " + status);
            }
        } finally {
            writers.shutdownNow();
        }
        await().atMost(START_WAIT).pollInterval(Duration.ofMillis(250)).until(() -> ready(port));
    }

    private static List<String> onePerPartition(final ApiClient api) throws IOException, InterruptedException {
        final Map<String, String> byPartition = new HashMap<>();
        for (JsonNode i : api.json("/incidents?limit=100").get("data")) {
            final String id = i.get("id").asText();
            byPartition.putIfAbsent(id.substring(0, id.lastIndexOf('.')), id);
        }
        return List.copyOf(byPartition.values());
    }

    private Map<String, String> env(final String name, final int port) {
        final Map<String, String> env = TestApp.instanceEnv("unused", APP, port, dir.resolve(name));
        env.put("INSTANCE_ID", name);
        env.put("NUM_STANDBY_REPLICAS", "1");
        env.put("TOPIC_PARTITIONS", "6");
        env.put("ROCKSDB_MEMORY", "64MiB");
        env.put("COMMAND_TIMEOUT", "PT3S");
        env.put("SHUTDOWN_TIMEOUT", "PT20S");
        env.put("KAFKA_STREAMS_SESSION_TIMEOUT_MS", Long.toString(SESSION_TIMEOUT.toMillis()));
        return env;
    }

    private Map<String, String> env(final String name, final int port, final String bootstrap) {
        final Map<String, String> env = env(name, port);
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        return env;
    }

    private static boolean ready(final int port) {
        return ApiClient.on(port).status("/health/ready") == 200;
    }

    private static boolean complete(final ApiResponse r) {
        return r.status() == 200 && r.json().get("data").size() == INCIDENTS;
    }

    private static Set<String> ids(final JsonNode page) {
        final Set<String> ids = new TreeSet<>();
        page.get("data").forEach(i -> ids.add(i.get("id").asText()));
        return ids;
    }

    /** What the listing client saw in one phase. */
    record Figures(
            int answers,
            int unavailable,
            int wrong,
            int staleAnswers,
            int staleShort,
            long largestStaleness,
            long longestGapMillis) {
        double unavailableShare() {
            return answers == 0 ? 0 : (double) unavailable / answers;
        }

        @Override
        public String toString() {
            return String.format(
                    "%d answers, %d × 503 (%.1f %%), %d wrong, longest gap without a complete answer %d ms,"
                            + " %d answers stale (%d of them lacking incidents a copy had not caught up on),"
                            + " largest staleness %d records",
                    answers,
                    unavailable,
                    100 * unavailableShare(),
                    wrong,
                    longestGapMillis,
                    staleAnswers,
                    staleShort,
                    largestStaleness);
        }
    }

    /** A client listing every 100 ms: each answer is complete (every incident, once), a 503, or wrong. */
    private static final class Prober {
        private record Answer(long atNanos, int status, boolean complete, Long staleness) {}

        private final ApiClient api;
        private final Set<String> ids;
        private final List<Answer> answers = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final long started = System.nanoTime();
        private Thread thread;

        Prober(final ApiClient api, final Set<String> ids) {
            this.api = api;
            this.ids = ids;
        }

        Prober start() {
            thread = new Thread(this::run, "listing-client");
            thread.start();
            return this;
        }

        private void run() {
            while (running.get()) {
                final long at = System.nanoTime();
                try {
                    final ApiResponse r = api.get("/incidents?limit=100");
                    final boolean complete = r.status() == 200 && ids.equals(ids(r.json()));
                    answers.add(new Answer(
                            at,
                            r.status(),
                            complete,
                            r.header("X-Incident-Staleness")
                                    .map(Long::parseLong)
                                    .orElse(null)));
                } catch (IOException e) {
                    answers.add(new Answer(at, -1, false, null));
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    Thread.sleep(Math.max(0, 100 - (System.nanoTime() - at) / 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** A complete answer from the actives alone, at least {@code after} since the start. */
        boolean freshAfter(final Duration after) {
            return answers.stream()
                    .anyMatch(a -> a.complete() && a.staleness() == null && a.atNanos() - started >= after.toNanos());
        }

        Figures stop() throws InterruptedException {
            running.set(false);
            thread.join();
            final long end = System.nanoTime();
            long last = started;
            long longest = 0;
            int unavailable = 0;
            int wrong = 0;
            int stale = 0;
            int staleShort = 0;
            long largest = 0;
            for (Answer a : answers) {
                if (a.complete()) {
                    longest = Math.max(longest, a.atNanos() - last);
                    last = a.atNanos();
                } else if (a.status() == 503) {
                    unavailable++;
                } else if (a.status() == 200 && a.staleness() != null && a.staleness() > 0) {
                    // a copy within MAX_READ_STALENESS that lags: the answer says how stale it may be
                    staleShort++;
                } else {
                    wrong++;
                    LOG.warn("Wrong answer: status {}, staleness {}", a.status(), a.staleness());
                }
                if (a.staleness() != null) {
                    stale++;
                    largest = Math.max(largest, a.staleness());
                }
            }
            longest = Math.max(longest, end - last);
            return new Figures(answers.size(), unavailable, wrong, stale, staleShort, largest, longest / 1_000_000);
        }
    }
}
