package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.codec.Json;
import io.incidentstream.config.Config;
import io.incidentstream.topology.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on a real in-JVM KRaft broker: HTTP ingest → alerts → topology → stores →
 * GET /incidents, plus raw producers (mis-keyed and poison records) and a restart on the same
 * DATA_DIR. Each test uses its own alertTemplateId, so tests do not see each other's incidents.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IncidentApiIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dataDir;

    static Application app;
    static Map<String, String> env;

    @BeforeAll
    static void start() throws Exception {
        env = Map.of(
                "DATA_DIR",
                dataDir.toString(),
                "HTTP_PORT",
                "0",
                "EMBEDDED_KAFKA_PORT",
                "0",
                "EXPIRY_INTERVAL",
                "PT0.5S",
                "APPLICATION_ID",
                "incident-stream-it");
        app = Application.start(Config.from(env));
        awaitReady();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    @Order(1)
    void shouldPageThrough57IncidentsByTenEachOnceInOrder() throws Exception {
        final Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
        final List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 57; i++) {
            batch.add(alert("paging-" + i, "paging", "FIRING", base.plusSeconds(i), i % 5 == 0 ? "critical" : "low"));
        }
        assertEquals(202, post("/alerts", batch).statusCode());
        awaitCount("alertTemplateId=paging", 57);

        final List<JsonNode> desc = pageAll("alertTemplateId=paging&limit=10", 6);
        assertEquals(57, desc.size());
        assertEquals(57, ids(desc).stream().distinct().count(), "every incident exactly once");
        for (int i = 1; i < desc.size(); i++) {
            assertTrue(
                    Instant.parse(desc.get(i - 1).get("createdAt").asText())
                            .isAfter(Instant.parse(desc.get(i).get("createdAt").asText())),
                    "descending by createdAt at " + i);
        }
        final List<String> asc = ids(pageAll("alertTemplateId=paging&limit=10&order=asc", 6));
        final List<String> reversed = new ArrayList<>(ids(desc));
        Collections.reverse(reversed);
        assertEquals(reversed, asc, "asc is the reverse of desc");
    }

    @Test
    @Order(2)
    void shouldFilterAndCountBySeverityAndStatus() throws Exception {
        final JsonNode critical =
                getJson("/incidents?alertTemplateId=paging&severity=critical&includeCount=true&limit=100");
        assertEquals(12, critical.get("count").asInt());
        assertEquals(12, critical.get("data").size());
        critical.get("data")
                .forEach(i -> assertEquals("critical", i.get("severity").asText()));

        final JsonNode lowOrCritical =
                getJson("/incidents?alertTemplateId=paging&severity=low,critical&status=ACTIVE&includeCount=true");
        assertEquals(57, lowOrCritical.get("count").asInt());
        assertEquals(20, lowOrCritical.get("data").size(), "default limit");
        assertNotNull(lowOrCritical.get("nextToken"));
    }

    @Test
    @Order(3)
    void shouldResolveIncidentsWhenResolvedAlertsArrive() throws Exception {
        final Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(30));
        assertEquals(
                202,
                post(
                                "/alerts",
                                List.of(
                                        alert("res-1", "resolving", "FIRING", t, "high"),
                                        alert("res-2", "resolving", "FIRING", t, "high")))
                        .statusCode());
        awaitCount("alertTemplateId=resolving&status=ACTIVE", 2);
        assertEquals(
                202,
                post("/alerts", alert("res-1", "resolving", "RESOLVED", t.plusSeconds(60), "high"))
                        .statusCode());
        awaitCount("alertTemplateId=resolving&status=RESOLVED", 1);
        final JsonNode resolved = getJson("/incidents?alertTemplateId=resolving&status=resolved")
                .get("data")
                .get(0);
        assertEquals("res-1", resolved.get("alertId").asText());
        assertEquals(t.plusSeconds(60).toString(), resolved.get("resolvedAt").asText());

        final JsonNode full = getJson("/incidents/" + resolved.get("id").asText());
        assertEquals(2, full.get("timeline").size(), "opened, then resolved");
        assertEquals("RESOLVED", full.get("timeline").get(1).get("to").asText());
        assertEquals(
                1,
                getJson("/incidents?alertTemplateId=resolving&status=ACTIVE&includeCount=true")
                        .get("count")
                        .asInt());
    }

    @Test
    @Order(4)
    void shouldRekeyRawRecordsAndDeadLetterPoison() throws Exception {
        final Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(10));
        // Each mis-keyed record sits on another partition, i.e. another task, and tasks re-key in no
        // promised order: a later check re-keyed first would make the earlier ones out of order.
        // So each is sent once the previous one is folded.
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, app.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.ALERTS, null, json(alert("raw-1", "raw", "FIRING", t, "medium"))))
                    .get();
            awaitRawAlertCount(1);
            producer.send(new ProducerRecord<>(
                            Topics.ALERTS,
                            "wrong-key".getBytes(StandardCharsets.UTF_8),
                            json(alert("raw-1", "raw", "FIRING", t.plusSeconds(5), "high"))))
                    .get();
            awaitRawAlertCount(2);
            // canonical key, but on another partition than murmur2 gives (as a crc32 partitioner would)
            final byte[] key = "default/raw-1".getBytes(StandardCharsets.UTF_8);
            final int wrongPartition = (Utils.toPositive(Utils.murmur2(key)) + 1) % 6;
            producer.send(new ProducerRecord<>(
                            Topics.ALERTS,
                            wrongPartition,
                            key,
                            json(alert("raw-1", "raw", "FIRING", t.plusSeconds(10), "high"))))
                    .get();
            producer.send(new ProducerRecord<>(
                            Topics.ALERTS,
                            "x".getBytes(StandardCharsets.UTF_8),
                            "{not json".getBytes(StandardCharsets.UTF_8)))
                    .get();
        }
        awaitRawAlertCount(3);
        final ConsumerRecord<byte[], byte[]> dead = firstDeadLetter();
        assertEquals("{not json", new String(dead.value(), StandardCharsets.UTF_8));
        assertEquals("not-json", header(dead, Topics.HEADER_REASON));
        assertEquals(Topics.ALERTS, header(dead, Topics.HEADER_SOURCE_TOPIC));
        assertNotNull(header(dead, Topics.HEADER_SOURCE_OFFSET));
    }

    @Test
    @Order(5)
    void shouldRefuseForgedAndForeignCursors() throws Exception {
        final String token = getJson("/incidents?alertTemplateId=paging&limit=5")
                .get("nextToken")
                .asText();
        final int middle = token.length() / 2;
        final String tampered =
                token.substring(0, middle) + (token.charAt(middle) == 'A' ? 'B' : 'A') + token.substring(middle + 1);
        assertEquals(
                400,
                get("/incidents?alertTemplateId=paging&limit=5&nextToken=" + tampered)
                        .statusCode());
        assertEquals(
                400,
                get("/incidents?alertTemplateId=paging&order=asc&nextToken=" + token)
                        .statusCode());
        assertEquals(400, get("/incidents?nextToken=%25%25%25").statusCode());
        assertEquals(
                200,
                get("/incidents?alertTemplateId=paging&limit=7&nextToken=" + token)
                        .statusCode(),
                "limit may change");
        assertEquals(404, get("/incidents/incident.0.zzzzzz").statusCode());
        assertEquals(404, get("/incidents/not-an-id").statusCode());
    }

    @Test
    @Order(6)
    void shouldExpireIncidentsWhoseValidUntilPasses() throws Exception {
        final Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        final Map<String, Object> shortLived = new HashMap<>(alert("exp-1", "expiring", "FIRING", t, "low"));
        shortLived.put("validUntil", t.plusSeconds(1).toString());
        assertEquals(202, post("/alerts", shortLived).statusCode());
        awaitCount("alertTemplateId=expiring&status=EXPIRED", 1);
    }

    @Test
    @Order(7)
    void shouldCreateUpdateAndDeleteManualIncidentsWithReadYourWrites() throws Exception {
        final HttpResponse<String> created = send(
                "POST",
                "/incidents",
                Map.of("title", "Disk on db1 failing", "severity", "critical", "labels", Map.of("team", "storage")),
                null);
        assertEquals(201, created.statusCode(), created::body);
        final JsonNode incident = Json.mapper().readTree(created.body());
        final String id = incident.get("id").asText();
        assertEquals("manual", incident.get("source").asText());
        assertEquals("ACTIVE", incident.get("status").asText());

        final JsonNode acked = Json.mapper()
                .readTree(send(
                                "PATCH",
                                "/incidents/" + id,
                                Map.of("status", "acknowledged", "assignee", "ana", "note", "replacing the disk"),
                                null)
                        .body());
        assertEquals("ACKNOWLEDGED", acked.get("status").asText());
        assertEquals("ana", acked.get("assignee").asText());
        final JsonNode note = acked.get("timeline").get(1);
        assertEquals("replacing the disk", note.get("note").asText());
        assertEquals("api", note.get("source").asText());

        final Map<String, Object> unassign = new HashMap<>();
        unassign.put("assignee", null);
        assertFalse(Json.mapper()
                .readTree(send("PATCH", "/incidents/" + id, unassign, null).body())
                .has("assignee"));
        assertEquals(
                400,
                send("PATCH", "/incidents/" + id, Map.of("asignee", "bob"), null)
                        .statusCode(),
                "unknown field");
        assertEquals(
                400,
                send("PATCH", "/incidents/" + id, Map.of("status", "sleeping"), null)
                        .statusCode(),
                "bad enum");
        assertEquals(
                404,
                send("PATCH", "/incidents/incident.0.zzzz", Map.of("title", "x"), null)
                        .statusCode());
        assertEquals(
                200,
                send("PATCH", "/incidents/" + id, Map.of("status", "RESOLVED"), null)
                        .statusCode());
        assertEquals(
                409,
                send("PATCH", "/incidents/" + id, Map.of("status", "ACKNOWLEDGED"), null)
                        .statusCode());

        final HttpResponse<String> deleted = send("DELETE", "/incidents/" + id, null, null);
        assertEquals(204, deleted.statusCode());
        assertEquals(404, get("/incidents/" + id).statusCode());
        assertFalse(
                getJson("/incidents?source=manual&limit=100")
                        .get("data")
                        .findValuesAsText("id")
                        .contains(id),
                "a deleted incident is not listed");
    }

    @Test
    @Order(8)
    void shouldApplyARetriedCreateWithTheSameIdempotencyKeyOnce() throws Exception {
        final HttpResponse<String> first =
                send("POST", "/incidents", Map.of("title", "Payments down"), "payments-down-1");
        final HttpResponse<String> retry =
                send("POST", "/incidents", Map.of("title", "Payments down"), "payments-down-1");
        assertEquals(201, first.statusCode(), first::body);
        assertEquals(201, retry.statusCode(), retry::body);
        assertEquals(
                Json.mapper().readTree(first.body()).get("id"),
                Json.mapper().readTree(retry.body()).get("id"));
        assertEquals(
                1,
                getJson("/incidents?source=manual&includeCount=true").get("data").findValuesAsText("title").stream()
                        .filter("Payments down"::equals)
                        .count());
    }

    @Test
    @Order(9)
    void shouldReopenAPersonResolvedIncidentWhenItsAlertFiresWithinTheFlapWindow() throws Exception {
        final Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(5));
        assertEquals(
                202,
                post("/alerts", alert("flap-1", "flapping", "FIRING", t, "high"))
                        .statusCode());
        awaitCount("alertTemplateId=flapping", 1);
        final String id = getJson("/incidents?alertTemplateId=flapping")
                .get("data")
                .get(0)
                .get("id")
                .asText();
        assertEquals(
                200,
                send("PATCH", "/incidents/" + id, Map.of("status", "RESOLVED"), null)
                        .statusCode());
        assertEquals(
                202,
                post(
                                "/alerts",
                                alert(
                                        "flap-1",
                                        "flapping",
                                        "FIRING",
                                        Instant.now().truncatedTo(ChronoUnit.MILLIS),
                                        "high"))
                        .statusCode());
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> getJson("/incidents/" + id).get("status").asText().equals("ACTIVE"));
        assertEquals(
                1,
                getJson("/incidents?alertTemplateId=flapping&includeCount=true")
                        .get("count")
                        .asInt(),
                "same incident");
    }

    private static HttpResponse<String> send(
            final String method, final String path, final Object body, final String idempotencyKey) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(json(body)))
                .header("Content-Type", "application/json");
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(10)
    void shouldKeepEveryIncidentAcrossRestartWithSameDataDir() throws Exception {
        final List<String> before = ids(pageAll("limit=50", 2));
        app.close();
        app = Application.start(Config.from(env));
        awaitReady();
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> ids(pageAll("limit=50", 2)).equals(before));
        assertFalse(before.isEmpty());
    }

    /** The key's fingerprint is kept with the result in the changelogged store: a restart remembers it. */
    @Test
    @Order(11)
    void shouldStillTellAnIdempotencyKeysRequestAfterARestart() throws Exception {
        final HttpResponse<String> same =
                send("POST", "/incidents", Map.of("title", "Payments down"), "payments-down-1");
        assertEquals(201, same.statusCode(), same::body);
        final HttpResponse<String> other =
                send("POST", "/incidents", Map.of("title", "Payments up"), "payments-down-1");
        assertEquals(422, other.statusCode(), other::body);
        final List<String> titles =
                getJson("/incidents?source=manual&limit=100").get("data").findValuesAsText("title");
        assertEquals(1, titles.stream().filter("Payments down"::equals).count());
        assertFalse(titles.contains("Payments up"));
    }

    private static Map<String, Object> alert(
            final String alertId,
            final String template,
            final String status,
            final Instant checkedAt,
            final String severity) {
        return Map.of(
                "alertId",
                alertId,
                "alertTemplateId",
                template,
                "status",
                status,
                "checkedAt",
                checkedAt.toString(),
                "validUntil",
                checkedAt.plus(Duration.ofDays(1)).toString(),
                "severity",
                severity,
                "title",
                "check " + alertId,
                "reportData",
                Map.of("value", 42));
    }

    private static List<JsonNode> pageAll(final String query, final int expectedPages) throws Exception {
        final List<JsonNode> all = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            final JsonNode page = getJson("/incidents?" + query + (token == null ? "" : "&nextToken=" + token));
            page.get("data").forEach(all::add);
            token = page.hasNonNull("nextToken") ? page.get("nextToken").asText() : null;
            pages++;
            assertTrue(pages <= expectedPages, "more pages than expected");
        } while (token != null);
        assertEquals(expectedPages, pages);
        return all;
    }

    private static List<String> ids(final List<JsonNode> incidents) {
        return incidents.stream().map(i -> i.get("id").asText()).toList();
    }

    private static void awaitCount(final String query, final int expected) {
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> getJson("/incidents?includeCount=true&" + query)
                                .get("count")
                                .asInt()
                        == expected);
    }

    private static void awaitRawAlertCount(final int count) {
        await().atMost(WAIT).until(() -> {
            final JsonNode data = getJson("/incidents?alertTemplateId=raw").get("data");
            return data.size() == 1 && data.get(0).get("alertCount").asInt() == count;
        });
    }

    private static void awaitReady() {
        await().atMost(WAIT).ignoreExceptions().until(() -> get("/health/ready").statusCode() == 200);
    }

    private static ConsumerRecord<byte[], byte[]> firstDeadLetter() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, app.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, "it-dlq-reader",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.ALERTS_DLQ));
            final Set<ConsumerRecord<byte[], byte[]>> seen = new HashSet<>();
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return !seen.isEmpty();
            });
            return seen.iterator().next();
        }
    }

    private static String header(final ConsumerRecord<?, ?> record, final String name) {
        final Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static byte[] json(final Object value) throws IOException {
        return Json.mapper().writeValueAsBytes(value);
    }

    private static HttpResponse<String> post(final String path, final Object body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(uri(path))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(json(body)))
                        .header("Content-Type", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(final String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode getJson(final String path) throws Exception {
        final HttpResponse<String> response = get(path);
        assertEquals(200, response.statusCode(), () -> path + " → " + response.body());
        return Json.mapper().readTree(response.body());
    }

    private static URI uri(final String path) {
        return URI.create("http://127.0.0.1:" + app.httpPort() + path);
    }
}
