package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.incidentstream.codec.Json;
import io.incidentstream.model.Bounds;
import io.incidentstream.testkit.ApiClient;
import io.incidentstream.testkit.ApiResponse;
import io.incidentstream.testkit.TestTokens;
import io.incidentstream.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack that used to stop the service, on a real broker under exactly-once: with an ordinary
 * write token, one incident and note after note of the largest accepted size (16,384 × {@code €},
 * 48 KiB of UTF-8) — about 22 of them once grew the incident past Kafka's 1 MiB, the stream thread
 * died writing it and every restart replayed the command into the same death. Now the timeline drops
 * its oldest entries, every write answers, alerts keep folding, lists keep answering, Kafka Streams
 * stays RUNNING, records sent straight onto the topics past the API change nothing of that, and a
 * restart on the same state comes up healthy.
 */
class OversizeAttackIT {
    private static final String LARGEST_NOTE = "€".repeat(Bounds.MAX_TEXT_CHARS);
    private static final int NOTES = 60;

    @TempDir
    Path dir;

    private ApiClient acme;
    private ApiClient other;

    @Test
    void shouldStayUpThroughNotesOfTheLargestSizeAndRecordsPastTheApi() throws Exception {
        final Map<String, String> env = new HashMap<>();
        env.put(
                "AUTH_TOKENS_FILE",
                TestTokens.write(dir.resolve("tokens.yaml"), TestTokens.perTenant(List.of("acme", "other")))
                        .toString());
        env.put("PEER_TOKEN", "oversize-it-peer-secret");
        env.put("PROCESSING_GUARANTEE", "exactly_once_v2");
        final String id;
        try (TestApp app = TestApp.start(dir.resolve("data"), "oversize-it", env)) {
            connect(app);
            final ApiResponse created = send("POST", "/incidents", "{\"title\":\"Checkout slow\"}");
            assertEquals(201, created.status(), created.body());
            id = Json.mapper().readTree(created.body()).get("id").asText();

            for (int n = 1; n <= NOTES; n++) {
                final ObjectNode note = Json.mapper().createObjectNode().put("note", n + LARGEST_NOTE.substring(2));
                final ApiResponse patched = send("PATCH", "/incidents/" + id, note.toString());
                assertEquals(200, patched.status(), () -> "note " + patched.body());
            }
            final ApiResponse tooLarge = send(
                    "PATCH",
                    "/incidents/" + id,
                    Json.mapper()
                            .createObjectNode()
                            .put("note", LARGEST_NOTE + "€")
                            .toString());
            assertEquals(400, tooLarge.status());
            assertEquals(
                    "note is longer than 16384 characters",
                    Json.mapper().readTree(tooLarge.body()).get("message").asText());

            final ApiResponse got = send("GET", "/incidents/" + id, null);
            final int bytes = got.body().getBytes(StandardCharsets.UTF_8).length;
            assertTrue(bytes <= Bounds.MAX_INCIDENT_BYTES, "the incident is " + bytes + " bytes as JSON");
            final JsonNode incident = Json.mapper().readTree(got.body());
            final JsonNode timeline = incident.get("timeline");
            assertEquals(
                    NOTES + 1,
                    timeline.size() + incident.get("timelineDropped").asLong(),
                    got.body().length() + "");
            assertTrue(
                    timeline.get(timeline.size() - 1).get("note").asText().startsWith(NOTES + "€"),
                    "the newest note kept");

            pastTheApi(app.bootstrapServers(), id);
            assertAlertsFoldAndListsAnswer("after-notes");
            assertRunning();
            assertEquals(1.0, metric("streams_dlq_total{reason=\"record-too-large\"}"), "the ~1 MiB poison record");
            for (ConsumerRecord<byte[], byte[]> r :
                    CommittedRecords.readAll(app.bootstrapServers(), Topics.INCIDENTS)) {
                assertTrue(
                        r.value() == null || r.value().length <= Bounds.MAX_INCIDENT_BYTES,
                        r.value().length + " bytes");
            }
        }

        try (TestApp restarted = TestApp.start(dir.resolve("data"), "oversize-it", env)) {
            connect(restarted);
            assertRunning();
            final JsonNode incident =
                    Json.mapper().readTree(send("GET", "/incidents/" + id, null).body());
            assertTrue(
                    incident.get("timelineDropped").asLong() >= NOTES - 2,
                    incident.toString().length() + "");
            assertAlertsFoldAndListsAnswer("after-restart");
        }
    }

    /**
     * Straight onto the topics, as any client the broker lets write there could: a command with every
     * text far over its bound, and a poison alert so large that its dead letter would not fit Kafka.
     */
    private static void pastTheApi(final String bootstrapServers, final String id) throws Exception {
        final String huge = "€".repeat(100_000);
        final String command = "{\"commandId\":\"raw-1\",\"kind\":\"UPDATE\",\"tenantId\":\"acme\",\"incidentId\":\""
                + id + "\",\"actor\":\"" + huge + "\",\"at\":\"" + Instant.now() + "\",\"note\":\"" + huge
                + "\",\"description\":\"" + huge + "\"}";
        final byte[] poison = new byte[950 * 1024];
        java.util.Arrays.fill(poison, (byte) '{');
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            producer.send(new ProducerRecord<>(
                            Topics.INCIDENT_COMMANDS,
                            io.incidentstream.model.IncidentId.partitionOf(id),
                            id.getBytes(StandardCharsets.UTF_8),
                            command.getBytes(StandardCharsets.UTF_8)))
                    .get();
            producer.send(new ProducerRecord<>(Topics.ALERTS, "acme/poison".getBytes(StandardCharsets.UTF_8), poison))
                    .get();
        }
    }

    private void assertAlertsFoldAndListsAnswer(final String alertId) throws Exception {
        final String alert = "{\"alertId\":\"" + alertId + "\",\"status\":\"FIRING\",\"checkedAt\":\""
                + Instant.now().truncatedTo(ChronoUnit.MILLIS) + "\",\"description\":\"" + LARGEST_NOTE + "\"}";
        assertEquals(202, send("POST", "/alerts", alert).status());
        await().atMost(TestApp.WAIT).ignoreExceptions().until(() -> {
            final JsonNode data = Json.mapper()
                    .readTree(send("GET", "/incidents?alertId=" + alertId, null).body())
                    .get("data");
            return data.size() == 1 && data.get(0).get("status").asText().equals("ACTIVE");
        });
        final ApiResponse list = send("GET", "/incidents?limit=100&includeCount=true", null);
        assertEquals(200, list.status(), list.body());
        assertEquals(200, other.get("/incidents").status(), "another tenant's queries answer");
    }

    private void assertRunning() throws Exception {
        await().atMost(TestApp.WAIT).ignoreExceptions().until(() -> {
            final ApiResponse ready = send("GET", "/health/ready", null);
            return ready.status() == 200 && ready.body().contains("\"streams\":\"RUNNING\"");
        });
        assertEquals(200, send("GET", "/health/live", null).status());
    }

    private double metric(final String series) throws Exception {
        final String text = send("GET", "/metrics", null).body();
        return text.lines()
                .filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst()
                .orElse(Double.NaN);
    }

    private void connect(final TestApp app) {
        acme = app.api().as("acme").withTimeout(Duration.ofSeconds(30));
        other = app.api().as("other");
    }

    private ApiResponse send(final String method, final String path, final String body) throws Exception {
        return acme.send(method, path, body, java.util.Map.of());
    }
}
