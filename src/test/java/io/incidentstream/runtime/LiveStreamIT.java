package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.testkit.ApiClient;
import io.incidentstream.testkit.SseReader;
import io.incidentstream.testkit.TestTokens;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /incidents/stream} end to end: two instances with auth on and one broker, clients read
 * with the JDK's streaming body handler. Filters and tenants, resume with {@code Last-Event-ID}
 * across a disconnect, reset, snapshot without gap or duplicate, heartbeat, the client limit, a
 * client too slow to read being dropped, and a client of B seeing changes of A's partitions.
 */
class LiveStreamIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Duration EVENT_WAIT = Duration.ofSeconds(30);
    private static final int MAX_CLIENTS = 6;
    private static final AtomicInteger ALERT = new AtomicInteger();

    @TempDir
    static Path dir;

    static TwoInstances cluster;
    static ApiClient apiA;
    static ApiClient apiB;

    @BeforeAll
    static void start() throws Exception {
        final Path tokens = dir.resolve("tokens.yaml");
        TestTokens.write(tokens, TestTokens.perTenant(List.of("acme", "globex")));
        cluster = TwoInstances.start(
                dir,
                "live-it",
                2,
                tokens,
                Map.of(
                        "STREAM_HEARTBEAT",
                        "PT1S",
                        "STREAM_MAX_CLIENTS",
                        Integer.toString(MAX_CLIENTS),
                        "STREAM_CLIENT_QUEUE",
                        "8"),
                WAIT);
        apiA = cluster.apiA;
        apiB = cluster.apiB;
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static SseReader open(final ApiClient api, final String tenant, final String query) throws Exception {
        return open(api, tenant, query, Map.of());
    }

    private static SseReader open(
            final ApiClient api, final String tenant, final String query, final Map<String, String> headers)
            throws Exception {
        final SseReader r = SseReader.open(api.baseUrl(), "/incidents/stream" + query, TestTokens.of(tenant), headers);
        assertEquals(200, r.status(), "stream " + query);
        return r;
    }

    private static Map<String, Object> alert(final String alertId, final String severity, final String description) {
        final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        final Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("alertId", alertId);
        alert.put("status", "FIRING");
        alert.put("checkedAt", now.toString());
        alert.put("validUntil", now.plus(Duration.ofDays(1)).toString());
        alert.put("severity", severity);
        if (description != null) {
            alert.put("description", description);
        }
        return alert;
    }

    private static String post(final ApiClient api, final String tenant, final String severity) throws Exception {
        final String id = tenant + "-live-" + ALERT.incrementAndGet();
        assertEquals(
                202, api.as(tenant).post("/alerts", alert(id, severity, null)).status());
        return id;
    }

    private static boolean isIncidentFor(final SseReader.Event e, final String alertId) {
        return e.name().equals("incident") && e.json().get("alertId").asText().equals(alertId);
    }

    @Test
    void shouldSendOnlyTheCallersTenantAndWhatTheFiltersTake() throws Exception {
        try (SseReader acmeHigh = open(apiA, "acme", "?severity=high");
                SseReader globex = open(apiA, "globex", "")) {
            final String low = post(apiA, "acme", "low");
            final String globexAlert = post(apiA, "globex", "high");
            final String high = post(apiA, "acme", "high");
            final List<SseReader.Event> got = acmeHigh.until(e -> isIncidentFor(e, high), EVENT_WAIT);
            for (SseReader.Event e : got) {
                assertEquals("acme", e.json().get("tenantId").asText(), e.toString());
                assertEquals(
                        "HIGH", e.json().get("severity").asText().toUpperCase(java.util.Locale.ROOT), e.toString());
                assertFalse(e.json().get("alertId").asText().equals(low), "filtered out: " + e);
                assertNotNull(e.id(), "every change has a resumable id");
            }
            final List<SseReader.Event> theirs = globex.until(e -> isIncidentFor(e, globexAlert), EVENT_WAIT);
            theirs.forEach(e -> assertEquals("globex", e.json().get("tenantId").asText(), e.toString()));
            assertTrue(globex.drain(Duration.ofSeconds(2)).stream()
                    .allMatch(e -> e.json().get("tenantId").asText().equals("globex")));
        }
        assertEquals(400, apiA.as("acme").get("/incidents/stream?stauts=OPEN").status());
        assertEquals(400, apiA.as("acme").get("/incidents/stream?limit=5").status());
        assertEquals(
                401,
                SseReader.open(apiA.baseUrl(), "/incidents/stream", null, Map.of())
                        .status());
        assertEquals(406, apiA.as("acme").get("/incidents/stream").status());
        assertEquals(
                400,
                SseReader.open(
                                apiA.baseUrl(),
                                "/incidents/stream",
                                TestTokens.of("acme"),
                                Map.of("Last-Event-ID", "x!"))
                        .status());
    }

    @Test
    void shouldSendOnlyWhatTheLabelMatchersTake() throws Exception {
        try (SseReader checkout = open(apiB, "acme", "?label=service%3Dcheckout&label=env%3D~prod-.*")) {
            final String staging = labelled("checkout", "staging");
            final String search = labelled("search", "prod-eu");
            final String wanted = labelled("checkout", "prod-eu");
            final List<SseReader.Event> got = checkout.until(e -> isIncidentFor(e, wanted), EVENT_WAIT);
            for (SseReader.Event e : got) {
                assertEquals("checkout", e.json().get("labels").get("service").asText(), e.toString());
                assertTrue(e.json().get("labels").get("env").asText().startsWith("prod-"), e.toString());
                assertFalse(
                        List.of(staging, search)
                                .contains(e.json().get("alertId").asText()),
                        "filtered out: " + e);
            }
        }
        assertEquals(400, apiA.as("acme").get("/incidents/stream?label=service").status());
    }

    private static String labelled(final String service, final String env) throws Exception {
        final String id = "acme-labelled-" + ALERT.incrementAndGet();
        final Map<String, Object> alert = alert(id, "medium", null);
        alert.put("labels", Map.of("service", service, "env", env));
        assertEquals(202, apiA.as("acme").post("/alerts", alert).status());
        return id;
    }

    @Test
    void shouldResumeFromLastEventIdWithEveryMissedChangeOnceAndInOrder() throws Exception {
        final String first = post(apiA, "acme", "high");
        String lastId;
        try (SseReader r = open(apiA, "acme", "?alertId=" + first)) {
            // subscribed after the post: wait for the incident to exist, then change it to see an event
            await().atMost(WAIT)
                    .ignoreExceptions()
                    .until(() -> apiA.as("acme")
                                    .json("/incidents?alertId=" + first)
                                    .get("data")
                                    .size()
                            == 1);
            final String id = apiA.as("acme")
                    .json("/incidents?alertId=" + first)
                    .get("data")
                    .get(0)
                    .get("id")
                    .asText();
            apiA.as("acme")
                    .patch("/incidents/" + id, Map.of("status", "ACKNOWLEDGED"))
                    .assertStatus(200);
            final List<SseReader.Event> ackedAndBefore = r.until(
                    e -> e.name().equals("incident")
                            && e.json().get("status").asText().equals("ACKNOWLEDGED"),
                    EVENT_WAIT);
            lastId = ackedAndBefore.get(ackedAndBefore.size() - 1).id();
        }
        final List<String> missed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            missed.add(post(apiA, "acme", "high"));
        }
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> apiA.as("acme").listAll("limit=100").stream()
                        .map(i -> i.get("alertId").asText())
                        .toList()
                        .containsAll(missed));
        final String after;
        try (SseReader r = open(apiB, "acme", "", Map.of("Last-Event-ID", lastId))) {
            final List<SseReader.Event> got = awaitAlerts(r, missed);
            final List<String> alertIds = got.stream()
                    .filter(e -> e.name().equals("incident"))
                    .map(e -> e.json().get("alertId").asText())
                    .filter(missed::contains)
                    .toList();
            assertEquals(missed.size(), alertIds.size(), "every missed change once: " + got);
            assertEquals(new HashSet<>(missed), new HashSet<>(alertIds));
            assertFalse(
                    got.stream()
                            .anyMatch(e -> isIncidentFor(e, first)
                                    && e.json().get("status").asText().equals("ACKNOWLEDGED")),
                    "nothing seen before: " + got);
            assertUnique(got);
            after = post(apiA, "acme", "high");
            r.until(e -> isIncidentFor(e, after), EVENT_WAIT);
        }
    }

    @Test
    void shouldSendResetWhenThePositionIsNotOneOfThisStream() throws Exception {
        try (SseReader r = open(apiA, "acme", "", Map.of("Last-Event-ID", "0"))) {
            final SseReader.Event reset = r.next(EVENT_WAIT);
            assertNotNull(reset);
            assertEquals("reset", reset.name());
            assertNotNull(reset.id());
        }
        try (SseReader r = open(apiA, "acme", "", Map.of("Last-Event-ID", "zzzzzz.zzzzzz"))) {
            assertEquals("reset", r.next(EVENT_WAIT).name(), "a position ahead of the topic");
        }
    }

    @Test
    void shouldSendTheSnapshotThenTheChangesWithoutGapOrDuplicate() throws Exception {
        final List<String> before = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            before.add(post(apiA, "acme", "critical"));
        }
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> apiA.as("acme").listAll("severity=critical&limit=100").stream()
                        .map(i -> i.get("alertId").asText())
                        .toList()
                        .containsAll(before));
        final List<String> during = new ArrayList<>();
        final Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < 6; i++) {
                    during.add(post(apiA, "acme", "critical"));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (SseReader r = open(apiB, "acme", "?snapshot=true&severity=critical")) {
            writer.start();
            final List<SseReader.Event> snapshot = r.until(e -> e.name().equals("snapshot-complete"), EVENT_WAIT);
            writer.join();
            final Set<String> seen = new HashSet<>();
            snapshot.stream()
                    .filter(e -> e.name().equals("incident"))
                    .forEach(e -> seen.add(e.json().get("alertId").asText()));
            assertTrue(seen.containsAll(before), "the snapshot holds what existed: " + seen);
            final List<SseReader.Event> all = new ArrayList<>(snapshot);
            await().atMost(EVENT_WAIT).until(() -> {
                final SseReader.Event e = r.next(Duration.ofMillis(200));
                if (e != null) {
                    all.add(e);
                    if (e.name().equals("incident")) {
                        seen.add(e.json().get("alertId").asText());
                    }
                }
                return seen.containsAll(during);
            });
            all.addAll(r.drain(Duration.ofSeconds(2)));
            assertUnique(all);
            assertTrue(
                    all.stream()
                            .filter(e -> e.name().equals("incident"))
                            .allMatch(e -> e.json().get("severity").asText().equalsIgnoreCase("critical")),
                    all.toString());
        }
    }

    @Test
    void shouldSendAHeartbeatWhenNothingHappens() throws Exception {
        try (SseReader r = open(apiA, "acme", "?alertId=nothing-ever")) {
            assertEquals("heartbeat", r.comment(Duration.ofSeconds(5)));
            assertEquals("heartbeat", r.comment(Duration.ofSeconds(5)));
        }
    }

    @Test
    void shouldRefuseClientsBeyondTheLimitWith503AndRetryAfter() throws Exception {
        final List<SseReader> readers = new ArrayList<>();
        try {
            await().atMost(WAIT).until(() -> metric(apiA, "incidents_stream_clients") == 0.0);
            for (int i = 0; i < MAX_CLIENTS; i++) {
                readers.add(open(apiA, "acme", ""));
            }
            final SseReader refused =
                    SseReader.open(apiA.baseUrl(), "/incidents/stream", TestTokens.of("acme"), Map.of());
            assertEquals(503, refused.status());
            assertTrue(refused.response().headers().firstValue("Retry-After").isPresent());
            assertEquals(MAX_CLIENTS, metric(apiA, "incidents_stream_clients"));
            try (SseReader other = open(apiB, "acme", "")) {
                assertEquals(200, other.status(), "the limit is per instance");
            }
        } finally {
            readers.forEach(SseReader::close);
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> metric(apiA, "incidents_stream_clients") == 0.0);
    }

    @Test
    void shouldDisconnectAClientThatDoesNotReadInsteadOfBufferingForIt() throws Exception {
        final double droppedBefore = metric(apiA, "incidents_stream_clients_dropped_total");
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress(
                    InetAddress.getLoopbackAddress(),
                    Integer.parseInt(apiA.baseUrl().replaceAll(".*:", ""))));
            final OutputStream out = slow.getOutputStream();
            out.write(("GET /incidents/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                            + "Authorization: Bearer " + TestTokens.of("acme") + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            final InputStream in = slow.getInputStream();
            assertTrue(in.read(new byte[12]) > 0, "the stream started");
            // never read again: large changes fill the socket buffers, then the client's queue
            final String big = "x".repeat(15_000);
            final long started = System.nanoTime();
            int slowPosted = 0;
            for (int batch = 0;
                    batch < 12 && metric(apiA, "incidents_stream_clients_dropped_total") == droppedBefore;
                    batch++) {
                final List<Map<String, Object>> alerts = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    alerts.add(alert("acme-slow-" + ALERT.incrementAndGet(), "low", big));
                }
                assertEquals(202, apiA.as("acme").post("/alerts", alerts).status());
                slowPosted += alerts.size();
            }
            await().atMost(WAIT).until(() -> metric(apiA, "incidents_stream_clients_dropped_total") > droppedBefore);
            System.out.printf(
                    "slow client dropped after %d ms%n",
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
            // a reading client is not affected (once the burst, more than its queue holds, has passed)
            final long posted = slowPosted;
            await().atMost(WAIT).ignoreExceptions().until(() -> apiA.as("acme").count("severity=low") >= posted);
        }
        // the tail of the burst may still be reaching the topic (and drop a new client with so small a queue):
        // a client that connects once it has passed gets its changes
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            try (SseReader r = open(apiA, "acme", "")) {
                final String id = post(apiA, "acme", "high");
                r.until(e -> isIncidentFor(e, id), Duration.ofSeconds(10));
                return true;
            }
        });
    }

    @Test
    void shouldShowAClientOfOneInstanceTheChangesOfEveryPartition() throws Exception {
        try (SseReader r = open(apiB, "globex", "")) {
            final Set<String> partitions = new HashSet<>();
            // one alert at a time, each awaited: this class's client queue holds 8 (for the slow-client
            // test), and a burst would rightly drop a client that reads slowly on a loaded machine
            for (int i = 0; i < 10; i++) {
                final String alertId = post(apiA, "globex", "high");
                for (SseReader.Event e : awaitAlerts(r, List.of(alertId))) {
                    if (e.name().equals("incident")) {
                        partitions.add(e.json().get("id").asText().split("\\.", -1)[1]);
                    }
                }
            }
            assertTrue(
                    partitions.size() > 1,
                    "changes of several partitions, whichever instance owns them: " + partitions);
        }
    }

    /** Events until every one of {@code alertIds} has been seen in an incident event. */
    private static List<SseReader.Event> awaitAlerts(final SseReader r, final List<String> alertIds) {
        final List<SseReader.Event> all = new ArrayList<>();
        final Set<String> seen = new HashSet<>();
        await().atMost(EVENT_WAIT).until(() -> {
            final SseReader.Event e = r.next(Duration.ofMillis(200));
            if (e != null) {
                all.add(e);
                if (e.name().equals("incident")) {
                    seen.add(e.json().get("alertId").asText());
                }
            }
            return seen.containsAll(alertIds);
        });
        return all;
    }

    /** No state of an incident (id and updatedAt) is sent twice. */
    private static void assertUnique(final List<SseReader.Event> events) {
        final Set<String> states = new HashSet<>();
        for (SseReader.Event e : events) {
            if (e.name().equals("incident")) {
                final JsonNode i = e.json();
                assertTrue(
                        states.add(
                                i.get("id").asText() + "@" + i.get("updatedAt").asText()),
                        "sent twice: " + e + " in " + events);
            }
        }
    }

    private static double metric(final ApiClient api, final String name) throws Exception {
        final String text = api.get("/metrics").body();
        double sum = 0;
        for (String line : text.split("\n", -1)) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
