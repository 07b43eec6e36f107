package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.config.Config;
import io.incidentstream.testkit.ApiClient;
import io.incidentstream.testkit.ApiResponse;
import io.incidentstream.testkit.Ports;
import io.incidentstream.testkit.Texts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Three instances of one application on one real broker: two in this JVM, one a child JVM running
 * the shaded jar so that it can be killed with SIGKILL. Lists through any instance are the same
 * complete list; gets work through non-owners; killing an instance mid-ingest loses and doubles
 * nothing (exactly_once_v2); while the group rebalances a list is complete or a 503, never partial.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int INCIDENTS = 300;

    @TempDir
    static Path dir;

    static EmbeddedKafka broker;
    static Application a;
    static Application b;
    static Process c;
    static int portA;
    static int portB;
    static int portC;
    static long refires;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafka.start(dir.resolve("kafka"), 0, 6);
        portA = Ports.freePort();
        portB = Ports.freePort();
        portC = Ports.freePort();
        a = Application.start(Config.from(env(portA, "a")));
        b = Application.start(Config.from(env(portB, "b")));
        c = startChild();
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> List.of(portA, portB, portC).stream()
                        .allMatch(p -> ApiClient.on(p).status("/incidents?includeCount=true") == 200));
    }

    @AfterAll
    static void stop() {
        if (c != null) {
            c.destroyForcibly();
        }
        for (Application app : new Application[] {a, b}) {
            if (app != null) {
                app.close();
            }
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void shouldListEveryIncidentOnceWithIdenticalPagesThroughEveryInstance() throws Exception {
        final Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
        final List<Map<String, Object>> alerts = new ArrayList<>();
        for (int i = 0; i < INCIDENTS; i++) {
            alerts.add(alert("cluster-" + i, base.plusSeconds(i)));
        }
        assertEquals(202, ApiClient.on(portA).post("/alerts", alerts).status());
        await().atMost(WAIT).ignoreExceptions().until(() -> ApiClient.on(portB).count("") == INCIDENTS);

        final List<String> viaA = allIds(portA, 50);
        assertEquals(INCIDENTS, viaA.size());
        assertEquals(INCIDENTS, viaA.stream().distinct().count(), "each incident exactly once");
        assertEquals(viaA, allIds(portB, 50), "instance B pages identically");
        assertEquals(viaA, allIds(portC, 50), "instance C pages identically");
        assertEquals(viaA, allIds(portC, 7), "page size does not change the list");
    }

    @Test
    @Order(2)
    void shouldGetAnyIncidentThroughAnyInstance() throws Exception {
        final List<String> ids = allIds(portA, 100);
        for (int i = 0; i < ids.size(); i += 25) {
            for (int port : List.of(portA, portB, portC)) {
                final JsonNode incident = ApiClient.on(port).json("/incidents/" + ids.get(i));
                assertEquals(ids.get(i), incident.get("id").asText());
                assertEquals(1, incident.get("timeline").size());
            }
        }
        assertEquals(404, ApiClient.on(portB).get("/incidents/incident.5.zzzzz").status());
    }

    @Test
    @Order(3)
    void shouldLoseAndDoubleNothingWhenAnInstanceIsKilledMidIngest() throws Exception {
        final AtomicBoolean polling = new AtomicBoolean(true);
        final ConcurrentLinkedQueue<String> partialAnswers = new ConcurrentLinkedQueue<>();
        final AtomicLong completeAnswers = new AtomicLong();
        final AtomicLong unavailableAnswers = new AtomicLong();
        final AtomicLong staleAnswers = new AtomicLong();
        final Thread poller = new Thread(
                () -> {
                    while (polling.get()) {
                        for (int port : List.of(portA, portB)) {
                            try {
                                final ApiResponse r = ApiClient.on(port).get("/incidents?includeCount=true&limit=100");
                                if (r.status() == 503) {
                                    unavailableAnswers.incrementAndGet();
                                } else if (r.status() == 200
                                        && r.json().get("count").asInt() == INCIDENTS) {
                                    completeAnswers.incrementAndGet();
                                } else if (r.status() == 200
                                        && r.header("X-Incident-Staleness").isPresent()) {
                                    // read partly from a standby copy within MAX_READ_STALENESS, and saying so
                                    staleAnswers.incrementAndGet();
                                } else {
                                    partialAnswers.add(r.status() + " " + Texts.abbreviate(r.body(), 200));
                                }
                            } catch (Exception e) {
                                partialAnswers.add("error " + e);
                            }
                        }
                    }
                },
                "list-poller");
        poller.start();

        final Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
        long sent = 0;
        for (int round = 0; round < 40; round++) {
            if (round == 12) {
                c.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            final List<Map<String, Object>> batch = new ArrayList<>();
            for (int i = 0; i < INCIDENTS; i += 10) {
                batch.add(alert("cluster-" + (i + round % 10), base.plusSeconds(round)));
            }
            final int port = round % 2 == 0 ? portA : portB;
            await().atMost(WAIT)
                    .until(() -> ApiClient.on(port).post("/alerts", batch).status() == 202);
            sent += batch.size();
        }
        refires = sent;
        final long expectedAlerts = INCIDENTS + sent;
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> ApiClient.on(portA).totalAlertCount("limit=100") == expectedAlerts);
        polling.set(false);
        poller.join();

        LoggerFactory.getLogger(ClusterIT.class)
                .info(
                        "During the kill: {} complete lists, {} answered 503, {} stale (flagged), {} partial; {} alerts"
                                + " re-fired",
                        completeAnswers.get(),
                        unavailableAnswers.get(),
                        staleAnswers.get(),
                        partialAnswers.size(),
                        sent);
        assertEquals(
                List.of(),
                new ArrayList<>(partialAnswers),
                "a list is complete, 503 or flagged stale, never silently partial");
        assertTrue(completeAnswers.get() > 0, "lists kept answering");
        assertEquals(
                expectedAlerts, ApiClient.on(portB).totalAlertCount("limit=100"), "every alert counted exactly once");
        assertEquals(INCIDENTS, allIds(portB, 100).size());
    }

    @Test
    @Order(4)
    void shouldRejoinWithItsStateDirAndServeTheSameList() throws Exception {
        c = startChild();
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> ApiClient.on(portC).status("/health/ready") == 200
                        && ApiClient.on(portC).totalAlertCount("limit=100") == INCIDENTS + refires);
        assertEquals(allIds(portA, 100), allIds(portC, 100));
    }

    @Test
    @Order(5)
    void shouldReadYourWritesThroughEveryInstanceWhoeverOwnsTheIncident() throws Exception {
        final ApiResponse created =
                ApiClient.on(portB).post("/incidents", Map.of("title", "Checkout slow", "severity", "high"));
        assertEquals(201, created.status(), created::body);
        final String id = created.json().get("id").asText();
        assertEquals("/incidents/" + id, created.header("Location").orElseThrow());

        final List<Integer> ports = List.of(portA, portB, portC);
        final List<Map<String, Object>> changes = List.of(
                Map.of("status", "ACKNOWLEDGED"),
                Map.of("assignee", "ana", "note", "on it"),
                Map.of("severity", "critical"),
                Map.of("status", "RESOLVED"),
                Map.of("status", "ACTIVE", "note", "back again"),
                Map.of("title", "Checkout very slow"));
        for (int i = 0; i < changes.size(); i++) {
            final int writer = ports.get(i % 3);
            final ApiResponse patched = ApiClient.on(writer).patch("/incidents/" + id, changes.get(i));
            assertEquals(200, patched.status(), patched::body);
            final JsonNode afterWrite = patched.json();
            for (Map.Entry<String, Object> change : changes.get(i).entrySet()) {
                if (!change.getKey().equals("note")) {
                    assertEquals(
                            change.getValue(), afterWrite.get(change.getKey()).asText(), "the answer shows the write");
                }
            }
            final JsonNode readBack = ApiClient.on(ports.get((i + 1) % 3)).json("/incidents/" + id);
            assertEquals(afterWrite, readBack, "another instance reads the write at once");
        }
        assertEquals(
                400,
                ApiClient.on(portC)
                        .patch("/incidents/" + id, Map.of("status", "EXPIRED"))
                        .status());
        assertEquals(
                200,
                ApiClient.on(portA)
                        .patch("/incidents/" + id, Map.of("status", "RESOLVED"))
                        .status());
        assertEquals(
                409,
                ApiClient.on(portB)
                        .patch("/incidents/" + id, Map.of("status", "ACKNOWLEDGED"))
                        .status());
        assertEquals(204, ApiClient.on(portC).delete("/incidents/" + id).status());
        for (int port : ports) {
            assertEquals(404, ApiClient.on(port).get("/incidents/" + id).status());
        }
    }

    /** The key's fingerprint lives with the result in the owner's store, so every instance refuses alike. */
    @Test
    @Order(6)
    void shouldAnswerAnIdempotencyKeyAlikeOnEveryInstanceAndRefuseItWithAnotherBody() throws Exception {
        final Map<String, Object> body = Map.of("title", "Queue backed up");
        final Map<String, String> key = Map.of("Idempotency-Key", "queue-1");
        final ApiResponse first = ApiClient.on(portB).send("POST", "/incidents", body, key);
        assertEquals(201, first.status(), first::body);
        final ApiResponse retry = ApiClient.on(portC).send("POST", "/incidents", body, key);
        assertEquals(201, retry.status(), retry::body);
        assertEquals(first.json().get("id"), retry.json().get("id"));
        for (int port : List.of(portA, portB, portC)) {
            final ApiResponse other =
                    ApiClient.on(port).send("POST", "/incidents", Map.of("title", "Queue drained"), key);
            assertEquals(422, other.status(), other::body);
            assertTrue(other.json().get("message").asText().contains("Idempotency-Key"), other::body);
        }
        final List<String> titles = ApiClient.on(portA).listAll("limit=100").stream()
                .map(i -> i.path("title").asText())
                .filter(t -> t.startsWith("Queue "))
                .toList();
        assertEquals(List.of("Queue backed up"), titles);
    }

    private static Map<String, String> env(final int port, final String name) {
        final Map<String, String> env =
                TestApp.instanceEnv(broker.bootstrapServers(), "cluster-it", port, dir.resolve(name));
        env.put("NUM_STANDBY_REPLICAS", "1");
        return env;
    }

    /** Instance C runs the shaded jar in its own JVM, so the test can SIGKILL it. */
    private static Process startChild() throws IOException {
        final Path jar = Path.of("target", "incident-stream.jar");
        assertTrue(Files.exists(jar), "the shaded jar is built in the package phase, before integration tests");
        final ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", jar.toString());
        pb.environment().putAll(env(portC, "c"));
        pb.environment().put("LOG_LEVEL", "WARN");
        pb.redirectErrorStream(true)
                .redirectOutput(
                        ProcessBuilder.Redirect.appendTo(dir.resolve("c.log").toFile()));
        return pb.start();
    }

    private static Map<String, Object> alert(final String alertId, final Instant checkedAt) {
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
                "high");
    }

    private static List<String> allIds(final int port, final int limit) throws Exception {
        return ApiClient.on(port).listAll("limit=" + limit).stream()
                .map(incident -> incident.get("id").asText())
                .toList();
    }
}
