package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.codec.Json;
import io.incidentstream.config.Config;
import io.incidentstream.testkit.ApiClient;
import io.incidentstream.testkit.ApiResponse;
import io.incidentstream.testkit.Ports;
import io.incidentstream.testkit.Texts;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 200 concurrent list/get clients against two instances while alerts are ingested
 * through {@code POST /alerts}, with one deliberate rebalance (a third instance joins, then leaves).
 * No 5xx but 503 with {@code Retry-After}; every 200 list page well-formed; a known incident never a
 * 404. p50/p99 are logged. Afterwards the JVM's threads (pools aside), descriptors and open store
 * iterators settle back to where they were before the load. {@code load.seconds}: 20, or 120 with
 * {@code -Preliability-long}; the load lasts at least that, and a quarter of it after the third
 * instance has left, however long its start takes.
 */
class LoadIT {
    private static final Logger LOG = LoggerFactory.getLogger(LoadIT.class);
    private static final Duration LOAD = Duration.ofSeconds(Long.getLong("load.seconds", 20));
    private static final int CLIENTS = 200;
    private static final int SEEDED = 400;
    /** Thread kinds that are bounded pools, sized by demand: they may stay bigger than before the load. */
    private static final Set<String> POOLS = Set.of(
            "JettyServerThreadPool",
            "qtp",
            "HttpClient-N-Worker",
            "peer-client-N",
            "ForkJoinPool",
            "awaitility"); // the last: the thread evaluating the settle condition itself

    @TempDir
    Path dir;

    private final Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
    private final ExecutorService clientPool = Executors.newFixedThreadPool(4, r -> new Thread(r, "load-http-client"));
    /** The clients' own JDK client, on a pool of known size, so its threads are told apart from leaks. */
    private final HttpClient http = HttpClient.newBuilder()
            .executor(clientPool)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final LoadStats stats = new LoadStats();
    private final List<String> ids = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    private EmbeddedKafka broker;

    @Test
    void shouldAnswerEveryClientWithoutA5xxThroughARebalanceAndLeakNothing() throws Exception {
        broker = EmbeddedKafka.start(dir.resolve("kafka"), 0, 6);
        final int portA = Ports.freePort();
        final int portB = Ports.freePort();
        try (Application a = Application.start(Config.from(env(portA, "a")));
                Application b = Application.start(Config.from(env(portB, "b")))) {
            final List<Integer> ports = List.of(a.httpPort(), b.httpPort());
            await().atMost(TestApp.WAIT)
                    .ignoreExceptions()
                    .until(() -> ports.stream().allMatch(p -> api(p).status("/health/ready") == 200));
            seed(portA);
            clients(ports, CLIENTS).runFor(Duration.ofSeconds(3)); // warm-up: pools grow to their working size
            stats.reset();
            clients(ports, 1).runFor(Duration.ofSeconds(3));
            LOG.info("One client alone, for comparison: {}", stats.summary());
            stats.reset();
            await().atMost(Duration.ofSeconds(10)).until(() -> ProcessResources.openStoreIterators() == 0);
            final ProcessResources before = ProcessResources.now();

            final AtomicBoolean ingesting = new AtomicBoolean(true);
            final AtomicLong acked = new AtomicLong();
            final Thread ingest = ingest(ports, ingesting, acked);
            final long loading = System.nanoTime();
            final Clients load = clients(ports, CLIENTS);
            pause(LOAD.dividedBy(4));
            rebalance();
            // at least LOAD in all, and a quarter of it after the third instance has left
            load.runFor(Duration.ofNanos(
                    Math.max(LOAD.dividedBy(4).toNanos(), LOAD.toNanos() - (System.nanoTime() - loading))));
            final long seconds = Math.max(1, (System.nanoTime() - loading) / 1_000_000_000);
            ingesting.set(false);
            ingest.join();
            LOG.info(
                    "Load: {} clients for {} s against 2 instances, rebalance in the middle: {} answers/s; {}; {} alerts ingested",
                    CLIENTS,
                    seconds,
                    stats.answered() / seconds,
                    stats.summary(),
                    acked.get());

            assertEquals(
                    List.of(),
                    List.copyOf(problems).subList(0, Math.min(20, problems.size())),
                    problems.size() + " problems");
            assertTrue(stats.ok() > CLIENTS, "clients got answers: " + stats.summary());
            settledBackTo(before);
        } finally {
            broker.close();
            clientPool.shutdownNow();
        }
    }

    /**
     * A third instance joins the group (partitions move to it, its peers answer 503 while they
     * restore) and, a quarter of the load later, leaves it again. In its own method so that no frame
     * of the test keeps the closed instance reachable when the leak check runs.
     */
    private void rebalance() throws Exception {
        final long joining = System.nanoTime();
        final int port = Ports.freePort(); // only now: the clients' sockets take ephemeral ports all the time
        try (Application c = Application.start(Config.from(env(port, "c")))) {
            assertEquals(port, c.httpPort());
            await().atMost(TestApp.WAIT)
                    .ignoreExceptions()
                    .until(() -> api(port).status("/health/ready") == 200);
            LOG.info("Third instance joined and ready after {} ms", (System.nanoTime() - joining) / 1_000_000);
            pause(LOAD.dividedBy(4));
        }
        LOG.info("Third instance left");
    }

    /**
     * Threads (pools aside) and descriptors return to the pre-load level; no store iterator stays open.
     * One peer-client selector thread more than before is allowed: the JDK 17 HttpClient has no
     * close(), so the stopped third instance's client ends its thread only once it is collected and
     * its idle keep-alive connections are closed by the peers (Jetty's 30 s idle timeout).
     */
    private void settledBackTo(final ProcessResources before) throws Exception {
        assertTrue(ProcessResources.iteratorGauges() > 0, "num-open-iterators is reported over JMX");
        final long settling = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessResources.openStoreIterators() == 0);
        final AtomicReference<ProcessResources> after = new AtomicReference<>();
        LOG.info(
                "Iterators closed after {} ms; still above the pre-load level: {}",
                (System.nanoTime() - settling) / 1_000_000,
                leaked(before, ProcessResources.now()));
        try {
            // idle keep-alive connections between the peers close on Jetty's 30 s idle timeout
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        System.gc(); // an unreachable client is not a leak
                        after.set(ProcessResources.now());
                        return leaked(before, after.get()).isEmpty();
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not back to the pre-load level: " + leaked(before, after.get()), e);
        } finally {
            LOG.info(
                    "Settled in {} ms. Threads before the load {}, after {} (grown: {}); file descriptors before {} {}, after {} {}",
                    (System.nanoTime() - settling) / 1_000_000,
                    before.threadCount(),
                    after.get().threadCount(),
                    after.get().moreThreadsThan(before, Set.of()),
                    before.fdCount(),
                    before.fds(),
                    after.get().fdCount(),
                    after.get().fds());
        }
    }

    private static List<String> leaked(final ProcessResources before, final ProcessResources now) {
        final List<String> leaked = new ArrayList<>();
        now.moreThreadsThan(before, POOLS).forEach((kind, n) -> {
            if (!(kind.equals("HttpClient-N-SelectorManager") && n == 1)) {
                leaked.add(n + " more " + kind + " threads");
            }
        });
        if (now.fds("file") > before.fds("file") + 4) {
            leaked.add("files open: " + before.fds("file") + " → " + now.fds("file"));
        }
        if (now.fds("socket") > before.fds("socket") + 20) {
            leaked.add("sockets open: " + before.fds("socket") + " → " + now.fds("socket"));
        }
        if (now.fds("pipe") + now.fds("anon_inode") > before.fds("pipe") + before.fds("anon_inode") + 4) {
            leaked.add("pipes/epoll: " + (before.fds("pipe") + before.fds("anon_inode")) + " → "
                    + (now.fds("pipe") + now.fds("anon_inode")));
        }
        return leaked;
    }

    /** {@value #SEEDED} incidents to list and get, their ids known to the clients. */
    private void seed(final int port) throws Exception {
        final List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < SEEDED; i++) {
            batch.add(alert("load-" + i, base.plusSeconds(i)));
        }
        assertEquals(202, api(port).post("/alerts", batch).status());
        await().atMost(TestApp.WAIT)
                .ignoreExceptions()
                .until(() -> api(port).listAll("limit=100").size() == SEEDED);
        api(port).listAll("limit=100").forEach(i -> ids.add(i.get("id").asText()));
    }

    /** Steady ingest: 20 re-fires of seeded alerts every 50 ms, alternating instances; a non-202 is a problem. */
    private Thread ingest(final List<Integer> ports, final AtomicBoolean running, final AtomicLong acked) {
        final Thread t = new Thread(
                () -> {
                    for (int round = 1; running.get(); round++) {
                        final List<Map<String, Object>> batch = new ArrayList<>();
                        for (int i = 0; i < 20; i++) {
                            batch.add(alert(
                                    "load-" + (round * 20 + i) % SEEDED,
                                    base.plusSeconds(SEEDED).plusMillis(round)));
                        }
                        try {
                            final ApiResponse r = api(ports.get(round % 2)).post("/alerts", batch);
                            if (r.status() == 202) {
                                acked.addAndGet(batch.size());
                            } else {
                                problems.add("POST /alerts → " + r.status() + " " + r.body());
                            }
                            Thread.sleep(50);
                        } catch (InterruptedException e) {
                            return;
                        } catch (Exception e) {
                            problems.add("POST /alerts → " + e);
                        }
                    }
                },
                "load-ingest");
        t.start();
        return t;
    }

    /** {@code count} client threads, each sending one request after the other until stopped. */
    private Clients clients(final List<Integer> ports, final int count) {
        final AtomicBoolean running = new AtomicBoolean(true);
        final List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final Thread t = new Thread(
                    () -> {
                        while (running.get()) {
                            oneRequest(ports.get(ThreadLocalRandom.current().nextInt(ports.size())));
                        }
                    },
                    "load-client-" + i);
            t.start();
            threads.add(t);
        }
        return new Clients(threads, running);
    }

    /** A list (random filter and size, following the cursor up to three pages) or a get of a known incident. */
    private void oneRequest(final int port) {
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        if (random.nextInt(3) == 0) {
            final String id = ids.get(random.nextInt(ids.size()));
            final ApiResponse r = timed("get", port, "/incidents/" + id);
            if (r != null && r.status() == 200) {
                checkIncident(r.body(), id);
            } else if (r != null && r.status() == 404) {
                problems.add("GET /incidents/" + id + " → 404 for an incident that exists");
            }
            return;
        }
        final int limit = 1 + random.nextInt(100);
        final String query = "/incidents?limit=" + limit + (random.nextBoolean() ? "&includeCount=true" : "")
                + (random.nextBoolean() ? "&sort=updatedAt" : "") + (random.nextInt(4) == 0 ? "&order=asc" : "")
                + (random.nextInt(4) == 0 ? "&severity=high,critical" : "");
        String next = null;
        for (int page = 0; page < 3; page++) {
            final ApiResponse r = timed(
                    "list",
                    port,
                    query + (next == null ? "" : "&nextToken=" + URLEncoder.encode(next, StandardCharsets.UTF_8)));
            if (r == null || r.status() != 200) {
                return;
            }
            next = checkPage(query, r.body(), limit);
            if (next == null) {
                return;
            }
        }
    }

    private ApiResponse timed(final String kind, final int port, final String path) {
        final long started = System.nanoTime();
        try {
            final ApiResponse r = api(port).withTimeout(Duration.ofSeconds(30)).get(path);
            stats.record(kind, r.status(), System.nanoTime() - started);
            if (r.status() == 503 && r.header("Retry-After").isEmpty()) {
                problems.add(path + " → 503 without Retry-After");
            } else if (r.status() >= 500 && r.status() != 503) {
                problems.add(path + " → " + r.status() + " " + r.body());
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            problems.add(path + " → " + e);
            return null;
        }
    }

    /** A well-formed list page: a data array of at most limit incidents, each complete; a string cursor if any. Returns the cursor. */
    private String checkPage(final String query, final String body, final int limit) {
        try {
            final JsonNode page = Json.mapper().readTree(body);
            final JsonNode data = page.get("data");
            if (data == null
                    || !data.isArray()
                    || data.size() > limit
                    || (data.isEmpty() && page.hasNonNull("nextToken"))) {
                problems.add(query + " → malformed page " + Texts.abbreviate(body, 300));
                return null;
            }
            data.forEach(i -> checkIncident(i, query));
            if (query.contains("includeCount") && !page.path("count").isIntegralNumber()) {
                problems.add(query + " → no count: " + Texts.abbreviate(body, 300));
            }
            final JsonNode next = page.get("nextToken");
            return next == null || next.isNull() ? null : next.isTextual() ? next.asText() : fail(query, body);
        } catch (Exception e) {
            problems.add(query + " → not JSON: " + Texts.abbreviate(body, 300));
            return null;
        }
    }

    private String fail(final String query, final String body) {
        problems.add(query + " → nextToken not a string: " + Texts.abbreviate(body, 300));
        return null;
    }

    private void checkIncident(final String body, final String id) {
        try {
            final JsonNode incident = Json.mapper().readTree(body);
            checkIncident(incident, "GET " + id);
            if (!id.equals(incident.path("id").asText())) {
                problems.add("GET " + id + " answered " + Texts.abbreviate(body, 300));
            }
        } catch (Exception e) {
            problems.add("GET " + id + " → not JSON: " + Texts.abbreviate(body, 300));
        }
    }

    private void checkIncident(final JsonNode incident, final String where) {
        for (String field :
                List.of("id", "tenantId", "alertId", "status", "severity", "createdAt", "updatedAt", "alertCount")) {
            if (!incident.hasNonNull(field)) {
                problems.add(
                        where + " → incident without " + field + ": " + Texts.abbreviate(incident.toString(), 300));
                return;
            }
        }
    }

    private static Map<String, Object> alert(final String alertId, final Instant checkedAt) {
        final String[] severities = {"critical", "high", "medium", "low"};
        return Map.of(
                "alertId",
                alertId,
                "status",
                "FIRING",
                "checkedAt",
                checkedAt.toString(),
                "validUntil",
                checkedAt.plus(Duration.ofDays(1)).toString(),
                "severity",
                severities[Math.abs(alertId.hashCode() % 4)]);
    }

    private ApiClient api(final int port) {
        return ApiClient.on(port).using(http);
    }

    private Map<String, String> env(final int port, final String name) {
        final Map<String, String> env =
                TestApp.instanceEnv(broker.bootstrapServers(), "load-it", port, dir.resolve(name));
        env.put("TOPIC_PARTITIONS", "6");
        env.put("NUM_STANDBY_REPLICAS", "1");
        return env;
    }

    /** Lets the load run for a while: one deliberate pause between phases, not a polling loop. */
    private static void pause(final Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    private record Clients(List<Thread> threads, AtomicBoolean running) {
        /** Lets them run for {@code d} more, then stops them and waits for their last requests. */
        void runFor(final Duration d) throws InterruptedException {
            pause(d);
            running.set(false);
            for (Thread t : threads) {
                t.join();
            }
        }
    }
}
