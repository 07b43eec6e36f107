package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.codec.Json;
import io.incidentstream.config.Config;
import io.incidentstream.testkit.ApiClient;
import io.incidentstream.testkit.ApiResponse;
import io.incidentstream.topology.Topics;
import java.io.IOException;
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

    @TempDir
    static Path dataDir;

    static Application app;
    static Map<String, String> env;
    /** The API of {@link #app}; a restart binds another port, and a new client. */
    static ApiClient api;

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
        startApp();
    }

    private static void startApp() throws InterruptedException {
        app = Application.start(Config.from(env));
        api = ApiClient.on(app.httpPort());
        await().atMost(WAIT).until(() -> api.status("/health/ready") == 200);
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
        assertEquals(202, api.post("/alerts", batch).status());
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
                api.json("/incidents?alertTemplateId=paging&severity=critical&includeCount=true&limit=100");
        assertEquals(12, critical.get("count").asInt());
        assertEquals(12, critical.get("data").size());
        critical.get("data")
                .forEach(i -> assertEquals("critical", i.get("severity").asText()));

        final JsonNode lowOrCritical =
                api.json("/incidents?alertTemplateId=paging&severity=low,critical&status=ACTIVE&includeCount=true");
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
                api.post(
                                "/alerts",
                                List.of(
                                        alert("res-1", "resolving", "FIRING", t, "high"),
                                        alert("res-2", "resolving", "FIRING", t, "high")))
                        .status());
        awaitCount("alertTemplateId=resolving&status=ACTIVE", 2);
        assertEquals(
                202,
                api.post("/alerts", alert("res-1", "resolving", "RESOLVED", t.plusSeconds(60), "high"))
                        .status());
        awaitCount("alertTemplateId=resolving&status=RESOLVED", 1);
        final JsonNode resolved = api.json("/incidents?alertTemplateId=resolving&status=resolved")
                .get("data")
                .get(0);
        assertEquals("res-1", resolved.get("alertId").asText());
        assertEquals(t.plusSeconds(60).toString(), resolved.get("resolvedAt").asText());

        final JsonNode full = api.json("/incidents/" + resolved.get("id").asText());
        assertEquals(2, full.get("timeline").size(), "opened, then resolved");
        assertEquals("RESOLVED", full.get("timeline").get(1).get("to").asText());
        assertEquals(
                1,
                api.json("/incidents?alertTemplateId=resolving&status=ACTIVE&includeCount=true")
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
        final String token = api.json("/incidents?alertTemplateId=paging&limit=5")
                .get("nextToken")
                .asText();
        final int middle = token.length() / 2;
        final String tampered =
                token.substring(0, middle) + (token.charAt(middle) == 'A' ? 'B' : 'A') + token.substring(middle + 1);
        assertEquals(
                400,
                api.get("/incidents?alertTemplateId=paging&limit=5&nextToken=" + tampered)
                        .status());
        assertEquals(
                400,
                api.get("/incidents?alertTemplateId=paging&order=asc&nextToken=" + token)
                        .status());
        assertEquals(400, api.get("/incidents?nextToken=%25%25%25").status());
        assertEquals(
                200,
                api.get("/incidents?alertTemplateId=paging&limit=7&nextToken=" + token)
                        .status(),
                "limit may change");
        assertEquals(404, api.get("/incidents/incident.0.zzzzzz").status());
        assertEquals(404, api.get("/incidents/not-an-id").status());
    }

    @Test
    @Order(6)
    void shouldExpireIncidentsWhoseValidUntilPasses() throws Exception {
        final Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        final Map<String, Object> shortLived = new HashMap<>(alert("exp-1", "expiring", "FIRING", t, "low"));
        shortLived.put("validUntil", t.plusSeconds(1).toString());
        assertEquals(202, api.post("/alerts", shortLived).status());
        awaitCount("alertTemplateId=expiring&status=EXPIRED", 1);
    }

    @Test
    @Order(7)
    void shouldCreateUpdateAndDeleteManualIncidentsWithReadYourWrites() throws Exception {
        final ApiResponse created = api.post(
                "/incidents",
                Map.of("title", "Disk on db1 failing", "severity", "critical", "labels", Map.of("team", "storage")));
        assertEquals(201, created.status(), created::body);
        final JsonNode incident = created.json();
        final String id = incident.get("id").asText();
        assertEquals("manual", incident.get("source").asText());
        assertEquals("ACTIVE", incident.get("status").asText());

        final JsonNode acked = api.patch(
                        "/incidents/" + id,
                        Map.of("status", "acknowledged", "assignee", "ana", "note", "replacing the disk"))
                .json();
        assertEquals("ACKNOWLEDGED", acked.get("status").asText());
        assertEquals("ana", acked.get("assignee").asText());
        final JsonNode note = acked.get("timeline").get(1);
        assertEquals("replacing the disk", note.get("note").asText());
        assertEquals("api", note.get("source").asText());

        final Map<String, Object> unassign = new HashMap<>();
        unassign.put("assignee", null);
        assertFalse(api.patch("/incidents/" + id, unassign).json().has("assignee"));
        assertEquals(
                400, api.patch("/incidents/" + id, Map.of("asignee", "bob")).status(), "unknown field");
        assertEquals(
                400, api.patch("/incidents/" + id, Map.of("status", "sleeping")).status(), "bad enum");
        assertEquals(
                404,
                api.patch("/incidents/incident.0.zzzz", Map.of("title", "x")).status());
        assertEquals(
                200, api.patch("/incidents/" + id, Map.of("status", "RESOLVED")).status());
        assertEquals(
                409,
                api.patch("/incidents/" + id, Map.of("status", "ACKNOWLEDGED")).status());

        final ApiResponse deleted = api.delete("/incidents/" + id);
        assertEquals(204, deleted.status());
        assertEquals(404, api.get("/incidents/" + id).status());
        assertFalse(
                api.json("/incidents?source=manual&limit=100")
                        .get("data")
                        .findValuesAsText("id")
                        .contains(id),
                "a deleted incident is not listed");
    }

    @Test
    @Order(8)
    void shouldApplyARetriedCreateWithTheSameIdempotencyKeyOnce() throws Exception {
        final Map<String, String> key = Map.of("Idempotency-Key", "payments-down-1");
        final ApiResponse first = api.send("POST", "/incidents", Map.of("title", "Payments down"), key);
        final ApiResponse retry = api.send("POST", "/incidents", Map.of("title", "Payments down"), key);
        assertEquals(201, first.status(), first::body);
        assertEquals(201, retry.status(), retry::body);
        assertEquals(first.json().get("id"), retry.json().get("id"));
        assertEquals(
                1,
                api.json("/incidents?source=manual&includeCount=true").get("data").findValuesAsText("title").stream()
                        .filter("Payments down"::equals)
                        .count());
    }

    @Test
    @Order(9)
    void shouldReopenAPersonResolvedIncidentWhenItsAlertFiresWithinTheFlapWindow() throws Exception {
        final Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(5));
        assertEquals(
                202,
                api.post("/alerts", alert("flap-1", "flapping", "FIRING", t, "high"))
                        .status());
        awaitCount("alertTemplateId=flapping", 1);
        final String id = api.json("/incidents?alertTemplateId=flapping")
                .get("data")
                .get(0)
                .get("id")
                .asText();
        assertEquals(
                200, api.patch("/incidents/" + id, Map.of("status", "RESOLVED")).status());
        assertEquals(
                202,
                api.post(
                                "/alerts",
                                alert(
                                        "flap-1",
                                        "flapping",
                                        "FIRING",
                                        Instant.now().truncatedTo(ChronoUnit.MILLIS),
                                        "high"))
                        .status());
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> api.json("/incidents/" + id).get("status").asText().equals("ACTIVE"));
        assertEquals(
                1,
                api.json("/incidents?alertTemplateId=flapping&includeCount=true")
                        .get("count")
                        .asInt(),
                "same incident");
    }

    @Test
    @Order(10)
    void shouldKeepEveryIncidentAcrossRestartWithSameDataDir() throws Exception {
        final List<String> before = ids(pageAll("limit=50", 2));
        app.close();
        startApp();
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> ids(pageAll("limit=50", 2)).equals(before));
        assertFalse(before.isEmpty());
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
        final List<JsonNode> pages = api.pages(query);
        assertEquals(expectedPages, pages.size(), "pages of " + query);
        final List<JsonNode> all = new ArrayList<>();
        pages.forEach(page -> page.get("data").forEach(all::add));
        return all;
    }

    private static List<String> ids(final List<JsonNode> incidents) {
        return incidents.stream().map(i -> i.get("id").asText()).toList();
    }

    private static void awaitCount(final String query, final int expected) {
        await().atMost(WAIT).ignoreExceptions().until(() -> api.count(query) == expected);
    }

    private static void awaitRawAlertCount(final int count) {
        await().atMost(WAIT).until(() -> {
            final JsonNode data = api.json("/incidents?alertTemplateId=raw").get("data");
            return data.size() == 1 && data.get(0).get("alertCount").asInt() == count;
        });
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
}
