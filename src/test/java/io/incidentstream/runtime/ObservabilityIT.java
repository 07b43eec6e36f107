package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.config.Config;
import io.incidentstream.http.ContractClient;
import io.incidentstream.http.OpenApiContract;
import io.incidentstream.metrics.PrometheusText;
import io.incidentstream.ops.OpsAssets;
import io.incidentstream.testkit.ApiResponse;
import io.incidentstream.testkit.SseReader;
import io.incidentstream.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees of a running instance on a real in-JVM broker: {@code /metrics} moved by
 * exactly what a known sequence of alerts did (scrapes parsed, not grepped), every response of
 * every endpoint valid against {@code /openapi.json}, the dashboard and alert rules referring only
 * to metrics the app exposes, and the open-incident gauges rebuilt after a restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int PARTITIONS = 3;

    @TempDir
    static Path dataDir;

    static Map<String, String> env;
    static Application app;
    static OpenApiContract contract;
    static ContractClient client;
    static final Map<String, Double> openBeforeRestart = new HashMap<>();

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
                "observability-it",
                "TOPIC_PARTITIONS",
                Integer.toString(PARTITIONS),
                "HTTP_MAX_BODY",
                "64KiB");
        contract = OpenApiContract.load();
        startApp();
    }

    private static void startApp() throws InterruptedException {
        app = Application.start(Config.from(env));
        client = new ContractClient(app.httpPort(), contract);
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> client.get("/health/ready").status() == 200);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static PrometheusText scrape() {
        return PrometheusText.parse(client.get("/metrics").body());
    }

    private static String alert(
            final String alertId,
            final String status,
            final Instant checkedAt,
            final String severity,
            final Instant validUntil) {
        return "{\"alertId\":\"" + alertId + "\",\"alertTemplateId\":\"obs\",\"status\":\"" + status
                + "\",\"checkedAt\":\"" + checkedAt + "\",\"severity\":\"" + severity + "\",\"validUntil\":\""
                + validUntil + "\"}";
    }

    private static void post(final String json) {
        assertEquals(202, client.post("/alerts", json).status());
    }

    private static double delta(
            final PrometheusText before, final PrometheusText after, final String name, final String... labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }

    @Test
    @Order(1)
    void shouldMoveDomainMetersByExactlyWhatTheAlertsDid() throws Exception {
        final PrometheusText before = scrape();
        final Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(10));
        final Instant far = t.plus(Duration.ofDays(1));
        post(alert("cpu", "FIRING", t, "critical", far)); // opened, critical
        post(alert("disk", "FIRING", t, "high", far)); // opened, high
        post(alert("cpu", "FIRING", t.plusSeconds(60), "high", far)); // folded, critical -> high
        post(alert("disk", "RESOLVED", t.plusSeconds(30), "high", far)); // resolved
        post(alert("disk", "FIRING", t.plusSeconds(90), "high", far)); // reopened within the flap window
        post(alert("mem", "FIRING", t, "low", t.plusSeconds(1))); // opened, then expired by the sweep
        post(alert("cpu", "FIRING", t.plusSeconds(10), "high", far)); // out of order
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, app.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            Topics.ALERTS,
                            "x".getBytes(StandardCharsets.UTF_8),
                            "{not json".getBytes(StandardCharsets.UTF_8)))
                    .get();
        }
        await().atMost(WAIT).until(() -> {
            final PrometheusText now = scrape();
            return delta(before, now, "alerts_consumed_total") == 8.0
                    && delta(before, now, "incidents_expired_total") == 1.0;
        });
        final PrometheusText after = scrape();

        final Map<String, Double> outcomes = Map.of(
                "opened",
                3.0,
                "folded",
                1.0,
                "resolved",
                1.0,
                "reopened",
                1.0,
                "ignored-out-of-order",
                1.0,
                "ignored-duplicate",
                0.0,
                "ignored-not-open",
                0.0,
                "dlq",
                1.0);
        outcomes.forEach((o, n) -> assertEquals(n, delta(before, after, "alerts_consumed_total", "outcome", o), o));
        assertEquals(3.0, delta(before, after, "incidents_opened_total"));
        assertEquals(1.0, delta(before, after, "incidents_resolved_total"));
        assertEquals(1.0, delta(before, after, "incidents_reopened_total"));
        assertEquals(1.0, delta(before, after, "incidents_expired_total"));
        assertEquals(0.0, delta(before, after, "incidents_acknowledged_total"));
        assertEquals(1.0, delta(before, after, "alerts_dlq_total", "reason", "not-json"));
        assertEquals(1.0, delta(before, after, "alerts_dlq_total"));

        assertEquals(
                2.0,
                after.value("incidents_open", "severity", "high", "status", "active"),
                "cpu escalated-down, disk reopened");
        assertEquals(0.0, after.value("incidents_open", "severity", "critical", "status", "active"));
        assertEquals(0.0, after.value("incidents_open", "severity", "low", "status", "active"), "mem expired");
        assertEquals(2.0, after.sum("incidents_open"));

        final double lagged = delta(before, after, "alerts_event_lag_seconds_count");
        assertEquals(7.0, lagged, "every decoded alert");
        assertTrue(
                delta(before, after, "alerts_event_lag_seconds_sum") / lagged > 500,
                "checkedAt lies 9-10 minutes back");
        assertEquals(
                7.0,
                delta(
                        before,
                        after,
                        "http_server_requests_seconds_count",
                        "method",
                        "POST",
                        "uri",
                        "/alerts",
                        "status",
                        "202"));
        assertEquals(1.0, after.value("health_ready"));
        assertEquals(1.0, after.value("health_live"));
        after.samples()
                .forEach(s -> s.labels()
                        .values()
                        .forEach(v ->
                                assertTrue(!v.startsWith("incident."), "an incident id leaked into a label: " + s)));
    }

    @Test
    @Order(2)
    void shouldExposeConsumerLagPerPartitionOfTheInputTopic() {
        await().atMost(WAIT).until(() -> {
            final Set<String> partitions = new TreeSet<>();
            scrape().matching("kafka_consumer_fetch_manager_records_lag", "topic", Topics.ALERTS)
                    .forEach(s -> partitions.add(s.labels().get("partition")));
            return partitions.equals(Set.of("0", "1", "2"));
        });
    }

    @Test
    @Order(3)
    void shouldKeepOnlyTheStoreMetricsAnOperatorActsOn() {
        await().atMost(WAIT).until(() -> scrape().names().contains("kafka_stream_state_estimate_num_keys"));
        final Set<String> names = scrape().names();
        assertTrue(
                names.stream().noneMatch(n -> n.startsWith("kafka_stream_state_get_")),
                "per-store get latency is filtered");
        assertTrue(names.contains("kafka_stream_thread_process_rate"), "thread metrics stay");
    }

    @Test
    @Order(5)
    void shouldAnswerEveryEndpointAsTheOpenApiDocumentSays() throws Exception {
        final Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        assertEquals(
                202,
                client.post("/alerts", "[" + alert("net", "FIRING", t, "medium", t.plus(Duration.ofDays(1))) + "]")
                        .status());
        assertEquals(400, client.post("/alerts", "{\"alertId\":\"x\"}").status());
        assertEquals(
                413, client.post("/alerts", "[" + "{},".repeat(40_000) + "{}]").status());
        final JsonNode page = client.get("/incidents?alertTemplateId=obs&limit=1&includeCount=true")
                .json();
        assertTrue(page.hasNonNull("nextToken"), page.toString());
        client.get("/incidents?alertTemplateId=obs&limit=1&nextToken="
                + page.get("nextToken").asText());
        assertEquals(400, client.get("/incidents?limit=0").status());
        assertEquals(400, client.get("/incidents?nextToken=forged").status());
        assertEquals(
                200,
                client.get("/incidents/" + page.get("data").get(0).get("id").asText())
                        .status());
        assertEquals(404, client.get("/incidents/incident.0.zzzz").status());
        assertEquals(200, client.get("/health/live").status());
        assertEquals(200, client.get("/health/ready").status());
        assertEquals(200, client.get("/metrics").status());
        assertEquals(200, client.get("/openapi.json").status());

        assertEquals(
                202,
                client.post(
                                "/alerts/alertmanager",
                                "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\","
                                        + "\"labels\":{\"alertname\":\"ObsProbe\"},\"startsAt\":\"" + t
                                        + "\",\"endsAt\":\"0001-01-01T00:00:00Z\"}]}")
                        .status());
        assertEquals(400, client.post("/alerts/alertmanager", "{\"alerts\":3}").status());
        assertEquals(
                413,
                client.post("/alerts/alertmanager", "{\"alerts\":[" + "{},".repeat(40_000) + "{}]}")
                        .status());
        assertEquals(
                200,
                client.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"ObsProbe2\"}}]")
                        .status());
        assertEquals(400, client.post("/api/v2/alerts", "{}").status());
        assertEquals(
                413,
                client.post("/api/v2/alerts", "[" + "{},".repeat(40_000) + "{}]")
                        .status());
        assertEquals(
                202,
                client.post(
                                "/v2/enqueue",
                                "{\"routing_key\":\"k\",\"event_action\":\"trigger\","
                                        + "\"payload\":{\"summary\":\"disk\",\"source\":\"db1\",\"severity\":\"error\"}}")
                        .status());
        assertEquals(
                400,
                client.post("/v2/enqueue", "{\"event_action\":\"trigger\"}").status());
        assertEquals(
                413,
                client.post("/v2/enqueue", "{\"x\":\"" + "y".repeat(200_000) + "\"}")
                        .status());

        final ApiResponse created = client.post("/incidents", "{\"title\":\"observability probe\"}");
        assertEquals(201, created.status(), created.body());
        final String id = created.json().get("id").asText();
        assertEquals(400, client.post("/incidents", "{}").status());
        assertEquals(
                200,
                client.patch("/incidents/" + id, "{\"status\":\"RESOLVED\"}").status());
        assertEquals(
                409,
                client.patch("/incidents/" + id, "{\"status\":\"ACKNOWLEDGED\"}")
                        .status());
        assertEquals(
                400, client.patch("/incidents/" + id, "{\"colour\":\"red\"}").status());
        assertEquals(
                404,
                client.patch("/incidents/incident.0.zzzz", "{\"title\":\"x\"}").status());
        assertEquals(204, client.delete("/incidents/" + id).status());
        assertEquals(404, client.delete("/incidents/" + id).status());
        for (String read : List.of("/api/v2/alerts", "/api/v2/alerts/groups")) {
            assertEquals(
                    200, client.get(read + "?filter=alertname%3D~%22.%2B%22").status());
            assertEquals(400, client.get(read + "?filter=%7B").status());
        }
        assertEquals(200, client.get("/api/v2/status").status());
        assertEquals(400, client.get("/api/v2/status?verbose=true").status());
        assertEquals(200, client.get("/api/v2/receivers").status());
        assertEquals(400, client.get("/api/v2/receivers?receiver_matchers=%7B").status());

        // an Idempotency-Key sent again with another body: refused, the first request's result kept
        final Map<String, String> createKey = Map.of("Idempotency-Key", "obs-create");
        final ApiResponse keyedCreate = client.send("POST", "/incidents", "{\"title\":\"keyed\"}", null, createKey);
        assertEquals(201, keyedCreate.status(), keyedCreate.body());
        assertEquals(
                422,
                client.send("POST", "/incidents", "{\"title\":\"other\"}", null, createKey)
                        .status());
        final String keyed = client.post("/incidents", "{\"title\":\"keyed patch\"}")
                .json()
                .get("id")
                .asText();
        final Map<String, String> patchKey = Map.of("Idempotency-Key", "obs-patch");
        assertEquals(
                200,
                client.send("PATCH", "/incidents/" + keyed, "{\"title\":\"one\"}", null, patchKey)
                        .status());
        assertEquals(
                422,
                client.send("PATCH", "/incidents/" + keyed, "{\"title\":\"two\"}", null, patchKey)
                        .status());
        // deleted again: the restart test below counts the open incidents
        assertEquals(
                204,
                client.delete("/incidents/" + keyedCreate.json().get("id").asText())
                        .status());
        assertEquals(204, client.delete("/incidents/" + keyed).status());

        // the live stream: refused parameters, a request that does not accept a stream, and the stream itself
        assertEquals(400, client.get("/incidents/stream?limit=3").status());
        assertEquals(406, client.get("/incidents/stream").status());
        try (SseReader stream = SseReader.open(
                "http://127.0.0.1:" + app.httpPort(), "/incidents/stream?snapshot=true", null, Map.of())) {
            assertEquals(200, stream.status());
            stream.until(e -> e.name().equals("snapshot-complete"), WAIT);
            contract.check("GET", "/incidents/stream", 200, Map.of("content-type", stream.contentType()), "");
        }

        // webhook subscriptions (no transition happens while this one exists: nothing is sent)
        final ApiResponse hook = client.post("/webhooks", "{\"url\":\"https://hooks.example.com/in\"}");
        assertEquals(201, hook.status(), hook.body());
        final String hookPath = "/webhooks/" + hook.json().get("id").asText();
        assertEquals(
                400, client.post("/webhooks", "{\"url\":\"http://127.0.0.1/\"}").status());
        assertEquals(200, client.get("/webhooks").status());
        assertEquals(200, client.get(hookPath).status());
        assertEquals(404, client.get("/webhooks/wh_none").status());
        assertEquals(200, client.patch(hookPath, "{\"events\":[\"opened\"]}").status());
        assertEquals(400, client.patch(hookPath, "{\"events\":[\"paged\"]}").status());
        assertEquals(404, client.patch("/webhooks/wh_none", "{}").status());
        assertEquals(
                200,
                client.send("POST", hookPath + "/rotate-secret", null, null).status());
        assertEquals(
                404,
                client.send("POST", "/webhooks/wh_none/rotate-secret", null, null)
                        .status());
        assertEquals(200, client.get(hookPath + "/deliveries").status());
        assertEquals(404, client.get("/webhooks/wh_none/deliveries").status());
        assertEquals(
                404,
                client.send("POST", hookPath + "/deliveries/dlv_none/redeliver", null, null)
                        .status());
        assertEquals(204, client.delete(hookPath).status());
        assertEquals(404, client.delete(hookPath).status());

        // silences, Alertmanager's API v2 (matching nothing this class posts)
        final String silence = "{\"matchers\":[{\"name\":\"alertname\",\"value\":\"ObsNobody\",\"isRegex\":false,"
                + "\"isEqual\":true}],\"startsAt\":\"" + t + "\",\"endsAt\":\"" + t.plus(Duration.ofHours(1))
                + "\",\"createdBy\":\"ops\",\"comment\":\"observability probe\"}";
        final ApiResponse silenced = client.post("/api/v2/silences", silence);
        assertEquals(200, silenced.status(), silenced.body());
        final String silenceId = silenced.json().get("silenceID").asText();
        assertEquals(
                400,
                client.post("/api/v2/silences", silence.replace("ObsNobody", ""))
                        .status());
        assertEquals(
                404,
                client.post("/api/v2/silences", silence.replace("{\"matchers", "{\"id\":\"no-such\",\"matchers"))
                        .status());
        assertEquals(
                200, client.get("/api/v2/silences?filter=alertname%3DObsNobody").status());
        assertEquals(400, client.get("/api/v2/silences?filter=%7B").status());
        assertEquals(200, client.get("/api/v2/silence/" + silenceId).status());
        assertEquals(404, client.get("/api/v2/silence/no-such").status());
        assertEquals(200, client.delete("/api/v2/silence/" + silenceId).status());
        assertEquals(400, client.delete("/api/v2/silence/" + silenceId).status(), "already expired");
        assertEquals(404, client.delete("/api/v2/silence/no-such").status());

        // grouping rules (matching nothing this class posts), and an incident's member alerts
        final String rule = "{\"match\":{\"labels\":{\"team\":\"obs-nobody\"}},\"groupBy\":[\"host\"],"
                + "\"window\":\"PT15M\",\"title\":\"{{host}}: {{memberCount}}\"}";
        final ApiResponse put = client.send("PUT", "/rules/grouping/obs", rule, null);
        assertEquals(200, put.status(), put.body());
        assertEquals(
                400,
                client.send("PUT", "/rules/grouping/obs", "{\"minAlerts\":0}", null)
                        .status());
        final ApiResponse preview =
                client.send("POST", "/rules/grouping/preview", "{\"rule\":" + rule + ",\"sample\":3}", null);
        assertEquals(200, preview.status(), preview.body());
        assertEquals(
                400,
                client.send("POST", "/rules/grouping/preview", "{\"rule\":" + rule + ",\"sample\":-1}", null)
                        .status());
        assertEquals(200, client.get("/rules/grouping").status());
        assertEquals(200, client.get("/rules/grouping/obs").status());
        assertEquals(404, client.get("/rules/grouping/nope").status());
        assertEquals(204, client.delete("/rules/grouping/obs").status());
        assertEquals(404, client.delete("/rules/grouping/obs").status());
        final String member = "/incidents/" + page.get("data").get(0).get("id").asText() + "/alerts";
        assertEquals(200, client.get(member + "?limit=5").status());
        assertEquals(400, client.get(member + "?limit=0").status());
        assertEquals(404, client.get("/incidents/incident.0.zzzz/alerts").status());

        // the summary and the console
        assertEquals(200, client.get("/incidents/summary?window=PT12H").status());
        assertEquals(400, client.get("/incidents/summary?window=P1Y").status());
        assertEquals(200, client.get("/").status());
        assertEquals(200, client.get("/console/app.js").status());
        assertEquals(404, client.get("/console/missing.js").status());

        final Set<String> missing = new TreeSet<>(contract.declaredResponses());
        missing.removeAll(contract.exercised());
        missing.removeIf(response -> response.endsWith(" 503")
                || response.endsWith(" 401")
                || response.endsWith(" 403")
                || response.endsWith(" 429")
                || (response.endsWith(" 202") && !response.contains("/alerts") && !response.contains("/v2/enqueue")));
        assertTrue(
                missing.isEmpty(),
                "not exercised: " + missing + "; only 503s (a healthy app cannot be made to answer them on "
                        + "demand), 401/403/429 (this app runs with auth off) and the writes' 202 (the owner applies within COMMAND_TIMEOUT) "
                        + "are left to OpenApiContractTest, which produces them over fakes");
    }

    @Test
    @Order(6)
    void shouldReferOnlyToMetricsTheAppExposes() {
        final Set<String> exposed = scrape().names();
        final Set<String> unknown = new TreeSet<>(OpsAssets.referencedMetrics());
        unknown.removeAll(exposed);
        unknown.removeAll(OpsAssets.PROMETHEUS_OWN);
        assertEquals(Set.of(), unknown, "dashboard or rules refer to metrics the app does not expose");
        assertTrue(
                OpsAssets.referencedMetrics().size() > 10,
                "the extraction found the names: " + OpsAssets.referencedMetrics());
    }

    @Test
    @Order(7)
    void shouldRebuildOpenIncidentGaugesAfterARestart() throws Exception {
        final PrometheusText before = scrape();
        before.matching("incidents_open")
                .forEach(s -> openBeforeRestart.put(s.labels().toString(), s.value()));
        assertEquals(
                6.0,
                before.sum("incidents_open"),
                "cpu, disk and net, and the three the adapters opened (the manual one was deleted)");
        app.close();
        startApp();
        await().atMost(WAIT).until(() -> scrape().sum("incidents_open") == 6.0);
        final PrometheusText after = scrape();
        after.matching("incidents_open")
                .forEach(s -> assertEquals(
                        openBeforeRestart.get(s.labels().toString()),
                        s.value(),
                        s.labels().toString()));
        assertEquals(0.0, after.sum("incidents_opened_total"), "counters are per process; the gauges are state");
    }
}
