package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.codec.Json;
import io.incidentstream.config.Config;
import io.incidentstream.testkit.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
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
                        .allMatch(p -> status(p, "/incidents?includeCount=true") == 200));
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
        assertEquals(202, post(portA, alerts).statusCode());
        await().atMost(WAIT).ignoreExceptions().until(() -> count(portB) == INCIDENTS);

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
                final JsonNode incident = json(get(port, "/incidents/" + ids.get(i)));
                assertEquals(ids.get(i), incident.get("id").asText());
                assertEquals(1, incident.get("timeline").size());
            }
        }
        assertEquals(404, get(portB, "/incidents/incident.5.zzzzz").statusCode());
    }

    @Test
    @Order(3)
    void shouldLoseAndDoubleNothingWhenAnInstanceIsKilledMidIngest() throws Exception {
        final AtomicBoolean polling = new AtomicBoolean(true);
        final ConcurrentLinkedQueue<String> partialAnswers = new ConcurrentLinkedQueue<>();
        final AtomicLong completeAnswers = new AtomicLong();
        final AtomicLong unavailableAnswers = new AtomicLong();
        final Thread poller = new Thread(
                () -> {
                    while (polling.get()) {
                        for (int port : List.of(portA, portB)) {
                            try {
                                final HttpResponse<String> r = get(port, "/incidents?includeCount=true&limit=100");
                                if (r.statusCode() == 503) {
                                    unavailableAnswers.incrementAndGet();
                                } else if (r.statusCode() == 200
                                        && Json.mapper()
                                                        .readTree(r.body())
                                                        .get("count")
                                                        .asInt()
                                                == INCIDENTS) {
                                    completeAnswers.incrementAndGet();
                                } else {
                                    partialAnswers.add(r.statusCode() + " "
                                            + r.body()
                                                    .substring(
                                                            0,
                                                            Math.min(
                                                                    200,
                                                                    r.body().length())));
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
            await().atMost(WAIT).until(() -> post(port, batch).statusCode() == 202);
            sent += batch.size();
        }
        refires = sent;
        final long expectedAlerts = INCIDENTS + sent;
        await().atMost(WAIT).ignoreExceptions().until(() -> totalAlertCount(portA) == expectedAlerts);
        polling.set(false);
        poller.join();

        LoggerFactory.getLogger(ClusterIT.class)
                .info(
                        "During the kill: {} complete lists, {} answered 503, {} partial; {} alerts re-fired",
                        completeAnswers.get(),
                        unavailableAnswers.get(),
                        partialAnswers.size(),
                        sent);
        assertEquals(List.of(), new ArrayList<>(partialAnswers), "a list is complete or 503, never partial");
        assertTrue(completeAnswers.get() > 0, "lists kept answering");
        assertEquals(expectedAlerts, totalAlertCount(portB), "every alert counted exactly once");
        assertEquals(INCIDENTS, allIds(portB, 100).size());
    }

    @Test
    @Order(4)
    void shouldRejoinWithItsStateDirAndServeTheSameList() throws Exception {
        c = startChild();
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> status(portC, "/health/ready") == 200 && totalAlertCount(portC) == INCIDENTS + refires);
        assertEquals(allIds(portA, 100), allIds(portC, 100));
    }

    @Test
    @Order(5)
    void shouldReadYourWritesThroughEveryInstanceWhoeverOwnsTheIncident() throws Exception {
        final HttpResponse<String> created =
                send(portB, "POST", "/incidents", Map.of("title", "Checkout slow", "severity", "high"));
        assertEquals(201, created.statusCode(), created::body);
        final String id = Json.mapper().readTree(created.body()).get("id").asText();
        assertEquals(
                "/incidents/" + id, created.headers().firstValue("Location").orElseThrow());

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
            final HttpResponse<String> patched = send(writer, "PATCH", "/incidents/" + id, changes.get(i));
            assertEquals(200, patched.statusCode(), patched::body);
            final JsonNode afterWrite = Json.mapper().readTree(patched.body());
            for (Map.Entry<String, Object> change : changes.get(i).entrySet()) {
                if (!change.getKey().equals("note")) {
                    assertEquals(
                            change.getValue(), afterWrite.get(change.getKey()).asText(), "the answer shows the write");
                }
            }
            final JsonNode readBack = json(get(ports.get((i + 1) % 3), "/incidents/" + id));
            assertEquals(afterWrite, readBack, "another instance reads the write at once");
        }
        assertEquals(
                400,
                send(portC, "PATCH", "/incidents/" + id, Map.of("status", "EXPIRED"))
                        .statusCode());
        assertEquals(
                200,
                send(portA, "PATCH", "/incidents/" + id, Map.of("status", "RESOLVED"))
                        .statusCode());
        assertEquals(
                409,
                send(portB, "PATCH", "/incidents/" + id, Map.of("status", "ACKNOWLEDGED"))
                        .statusCode());
        assertEquals(204, send(portC, "DELETE", "/incidents/" + id, null).statusCode());
        for (int port : ports) {
            assertEquals(404, get(port, "/incidents/" + id).statusCode());
        }
    }

    private static HttpResponse<String> send(final int port, final String method, final String path, final Object body)
            throws Exception {
        final HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(Json.mapper().writeValueAsBytes(body));
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(20))
                        .method(method, publisher)
                        .header("Content-Type", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
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
        final List<String> ids = new ArrayList<>();
        for (JsonNode incident : all(port, limit)) {
            ids.add(incident.get("id").asText());
        }
        return ids;
    }

    private static long totalAlertCount(final int port) throws Exception {
        long total = 0;
        for (JsonNode incident : all(port, 100)) {
            total += incident.get("alertCount").asLong();
        }
        return total;
    }

    private static List<JsonNode> all(final int port, final int limit) throws Exception {
        final List<JsonNode> all = new ArrayList<>();
        String token = null;
        do {
            final JsonNode page =
                    json(get(port, "/incidents?limit=" + limit + (token == null ? "" : "&nextToken=" + token)));
            page.get("data").forEach(all::add);
            token = page.hasNonNull("nextToken") ? page.get("nextToken").asText() : null;
        } while (token != null);
        return all;
    }

    private static int count(final int port) throws Exception {
        return json(get(port, "/incidents?includeCount=true&limit=1"))
                .get("count")
                .asInt();
    }

    private static int status(final int port, final String path) {
        try {
            return get(port, path).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static JsonNode json(final HttpResponse<String> response) throws IOException {
        assertEquals(200, response.statusCode(), response::body);
        return Json.mapper().readTree(response.body());
    }

    private static HttpResponse<String> get(final int port, final String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(final int port, final Object body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/alerts"))
                        .timeout(Duration.ofSeconds(20))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(
                                Json.mapper().writeValueAsBytes(body)))
                        .header("Content-Type", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
