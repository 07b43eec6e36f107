package io.incidentstream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.auth.RateLimiter;
import io.incidentstream.errors.BadRequestException;
import io.incidentstream.errors.UnavailableException;
import io.incidentstream.http.HttpFakes.FakeHealth;
import io.incidentstream.http.HttpFakes.RecordingQueries;
import io.incidentstream.http.HttpFakes.RecordingSink;
import io.incidentstream.query.IncidentPage;
import io.incidentstream.testkit.SseReader;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code /openapi.json} is a valid OpenAPI 3.1 document, is served byte for byte, and every
 * response it declares, including the 503s a healthy running app cannot be made to produce on
 * demand, is produced by the real routes (over fakes here) and validates against it. The
 * running app's own responses are checked the same way in {@code ObservabilityIT}.
 */
class OpenApiContractTest {
    private static final String SILENCE =
            "{\"matchers\":[{\"name\":\"alertname\",\"value\":\"DiskFull\",\"isRegex\":false,"
                    + "\"isEqual\":true}],\"startsAt\":\"2026-01-01T00:00:00Z\",\"endsAt\":\"2099-01-01T00:00:00Z\","
                    + "\"createdBy\":\"ops\",\"comment\":\"disk work\",\"recurrence\":{\"every\":\"weekly\",\"days\":[\"SAT\"],"
                    + "\"start\":\"22:00\",\"duration\":\"PT4H\",\"timeZone\":\"Europe/Berlin\"}}";

    private static final String ALERT =
            "{\"alertId\":\"a\",\"status\":\"FIRING\",\"checkedAt\":\"2026-01-01T00:00:00Z\"}";

    private static final String WEBHOOK = "{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\","
            + "\"labels\":{\"alertname\":\"ProbeFailure\",\"severity\":\"critical\"},\"annotations\":{\"summary\":\"down\"},"
            + "\"startsAt\":\"2026-01-01T00:00:00Z\",\"endsAt\":\"0001-01-01T00:00:00Z\",\"fingerprint\":\"1a30ba71cca2921f\"}]}";
    private static final String POSTABLE =
            "[{\"labels\":{\"alertname\":\"Always\"},\"startsAt\":\"2026-01-01T00:00:00Z\","
                    + "\"endsAt\":\"2099-01-01T00:00:00Z\"}]";
    private static final String PAGERDUTY =
            "{\"routing_key\":\"e93facc04764012d7bfb002500d5d1a6\",\"event_action\":\"trigger\","
                    + "\"payload\":{\"summary\":\"DISK at 99%\",\"source\":\"db1\",\"severity\":\"critical\"}}";

    private final OpenApiContract contract = OpenApiContract.load();

    @Test
    void shouldBeAValidOpenApi31Document() {
        final SwaggerParseResult result =
                new OpenAPIV3Parser().readContents(contract.document().toString());
        assertEquals(List.of(), result.getMessages());
        assertEquals("3.1.0", result.getOpenAPI().getOpenapi());
        assertEquals(
                Set.of(
                        "/alerts",
                        "/alerts/alertmanager",
                        "/api/v2/alerts",
                        "/api/v2/alerts/groups",
                        "/api/v2/status",
                        "/api/v2/receivers",
                        "/api/v2/silences",
                        "/api/v2/silence/{silenceID}",
                        "/incidents/{id}/alerts",
                        "/rules/grouping",
                        "/rules/grouping/{id}",
                        "/rules/grouping/preview",
                        "/v2/enqueue",
                        "/incidents",
                        "/incidents/{id}",
                        "/incidents/stream",
                        "/incidents/summary",
                        "/",
                        "/console/{asset}",
                        "/health/live",
                        "/health/ready",
                        "/metrics",
                        "/openapi.json",
                        "/webhooks",
                        "/webhooks/{id}",
                        "/webhooks/{id}/rotate-secret",
                        "/webhooks/{id}/deliveries",
                        "/webhooks/{id}/deliveries/{deliveryId}/redeliver"),
                result.getOpenAPI().getPaths().keySet());
    }

    @Test
    void shouldKeepSeed000SchemasFieldForField() {
        final var schemas = contract.document().get("components").get("schemas");
        for (String field : List.of(
                "id",
                "alertId",
                "alertVersion",
                "alertTemplateId",
                "validUntil",
                "reportData",
                "status",
                "lastCheckedAt",
                "createdAt",
                "updatedAt")) {
            assertTrue(schemas.get("Incident").get("properties").has(field), field);
        }
        assertEquals(
                500,
                schemas.get("ErrorResponse")
                        .get("properties")
                        .get("message")
                        .get("maxLength")
                        .asInt());
        assertTrue(schemas.get("IncidentsPaginatedResponse").get("properties").has("nextToken"));
        assertEquals(
                false,
                schemas.get("Incident").get("additionalProperties").asBoolean(),
                "closed like the seed's, so an undocumented field fails the contract test");
    }

    @Test
    void shouldRejectABodyThatBreaksTheSchema() {
        assertThrows(
                AssertionError.class,
                () -> contract.check(
                        "GET",
                        "/incidents/x",
                        404,
                        Map.of("content-type", "application/json"),
                        "{\"message\":\"gone\",\"stack\":\"at ...\"}"));
        assertThrows(
                AssertionError.class,
                () -> contract.check(
                        "GET",
                        "/incidents",
                        200,
                        Map.of("content-type", "application/json"),
                        "{\"data\":[{\"id\":\"x\"}]}"),
                "required fields missing");
        final String incident = io.incidentstream.codec.Json.mapper()
                .valueToTree(HttpFakes.incident("incident.0.1"))
                .toString();
        contract.check(
                "GET", "/incidents", 200, Map.of("content-type", "application/json"), "{\"data\":[" + incident + "]}");
        assertThrows(
                AssertionError.class,
                () -> contract.check(
                        "GET",
                        "/incidents",
                        200,
                        Map.of("content-type", "application/json"),
                        "{\"data\":[" + incident.replace("2026-11-23T10:00:00Z", "yesterday") + "]}"),
                "formats are asserted");
        assertThrows(
                AssertionError.class,
                () -> contract.check("GET", "/incidents", 418, Map.of("content-type", "text/html"), "<p>teapot</p>"),
                "undocumented content type");
        assertThrows(
                AssertionError.class,
                () -> contract.check(
                        "GET",
                        "/incidents",
                        503,
                        Map.of("content-type", "application/json"),
                        "{\"message\":\"later\"}"),
                "Retry-After missing");
    }

    @Test
    void shouldProduceEveryDeclaredResponseMatchingTheDocument() {
        final RecordingQueries queries = new RecordingQueries();
        final RecordingSink sink = new RecordingSink();
        final FakeHealth health = new FakeHealth();
        health.details = Map.of("streams", "RUNNING", "storesQueryable", true, "partitions", 6, "broker", "reachable");
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final var app = HttpFakes.appWithStream(queries, sink, health, registry, 1024);
        app.start("127.0.0.1", 0);
        try {
            final ContractClient client = new ContractClient(app.port(), contract);
            exerciseStream(app.port(), client);
            final var incident = HttpFakes.incident("incident.2.a");
            queries.incident = HttpFakes.withTimeline(incident);
            queries.page = new IncidentPage(List.of(incident, HttpFakes.incident("incident.3.b")), "opaque-token", 2L);

            assertEquals(202, client.post("/alerts", ALERT).status());
            assertEquals(400, client.post("/alerts", "{").status());
            assertEquals(
                    413,
                    client.post("/alerts", "[" + (ALERT + ",").repeat(20) + ALERT + "]")
                            .status());
            assertEquals(200, client.get("/incidents?includeCount=true").status());
            assertEquals(400, client.get("/incidents?limit=1000").status());
            assertEquals(200, client.get("/incidents/incident.2.a").status());
            assertEquals(404, client.get("/incidents/incident.9.z").status());
            assertEquals(200, client.get("/incidents/summary?window=PT12H").status());
            assertEquals(200, client.get("/").status());
            assertEquals(200, client.get("/console/app.js").status());
            assertEquals(200, client.get("/console/console.css").status());
            assertEquals(404, client.get("/console/missing.js").status());
            assertEquals(400, client.get("/incidents/summary?window=P1Y").status());
            assertEquals(
                    200, client.get("/incidents/incident.2.a/alerts?limit=5").status());
            assertEquals(
                    400, client.get("/incidents/incident.2.a/alerts?limit=0").status());
            assertEquals(404, client.get("/incidents/incident.9.z/alerts").status());
            assertEquals(200, client.get("/health/live").status());
            assertEquals(200, client.get("/health/ready").status());
            assertEquals(200, client.get("/metrics").status());
            final var served = client.get("/openapi.json");
            assertEquals(contract.document(), served.json(), "served as-is");

            assertEquals(202, client.post("/alerts/alertmanager", WEBHOOK).status());
            assertEquals(
                    400, client.post("/alerts/alertmanager", "{\"alerts\": 3}").status());
            assertEquals(
                    413,
                    client.post("/alerts/alertmanager", "{\"alerts\":[" + "{},".repeat(600) + "{}]}")
                            .status());
            assertEquals(200, client.post("/api/v2/alerts", POSTABLE).status());
            assertEquals(400, client.post("/api/v2/alerts", "{}").status());
            assertEquals(
                    413,
                    client.post("/api/v2/alerts", "[" + "{},".repeat(600) + "{}]")
                            .status());
            assertEquals(202, client.post("/v2/enqueue", PAGERDUTY).status());
            for (String read : List.of("/api/v2/alerts", "/api/v2/alerts/groups")) {
                assertEquals(
                        200,
                        client.get(read + "?filter=alertname%3D%22x%22&active=false")
                                .status());
                assertEquals(400, client.get(read + "?filter=not-a-matcher").status());
            }
            exerciseSilences(client);
            assertEquals(200, client.get("/api/v2/status").status());
            assertEquals(400, client.get("/api/v2/status?verbose=true").status());
            assertEquals(200, client.get("/api/v2/receivers").status());
            assertEquals(
                    400, client.get("/api/v2/receivers?receiver_matchers=%7B").status());
            assertEquals(
                    400,
                    client.post("/v2/enqueue", "{\"event_action\":\"trigger\"}").status());
            assertEquals(
                    413,
                    client.post("/v2/enqueue", "{\"x\":\"" + "y".repeat(2000) + "\"}")
                            .status());

            sink.failure = new UnavailableException("broker did not acknowledge", Duration.ofSeconds(5));
            assertEquals(503, client.post("/alerts", ALERT).status());
            assertEquals(503, client.post("/alerts/alertmanager", WEBHOOK).status());
            assertEquals(503, client.post("/api/v2/alerts", POSTABLE).status());
            assertEquals(503, client.post("/v2/enqueue", PAGERDUTY).status());
            queries.failure = new UnavailableException("rebalancing", Duration.ofSeconds(2));
            assertEquals(503, client.get("/incidents").status());
            assertEquals(503, client.get("/incidents/incident.2.a").status());
            assertEquals(503, client.get("/incidents/summary").status());
            assertEquals(503, client.get("/incidents/incident.2.a/alerts").status());
            assertEquals(503, client.get("/api/v2/alerts").status());
            assertEquals(503, client.get("/api/v2/alerts/groups").status());
            health.live = false;
            health.ready = false;
            health.details = Map.of("streams", "ERROR", "storesQueryable", false, "broker", "unreachable");
            assertEquals(503, client.get("/health/live").status());
            assertEquals(503, client.get("/health/ready").status());
            queries.failure = new IllegalStateException("a bug");
            assertEquals(500, client.get("/incidents").status(), "falls under default: ErrorResponse");
            queries.failure = new BadRequestException("x".repeat(2_000));
            assertEquals(400, client.get("/incidents").status(), "long messages are cut to the documented 500");
        } finally {
            app.stop();
            registry.close();
        }
        exerciseAuth();
        exerciseWrites();
        WebhookContract.exercise(contract);
        exerciseRules();
        assertEquals(
                contract.declaredResponses(),
                withoutDefault(contract.exercised()),
                "every declared response was produced and validated");
    }

    /** The live stream's answers: 200 (an event stream), 400, 406, and 503 beyond its one client. */
    private void exerciseStream(final int port, final ContractClient client) {
        final Map<String, String> accept = Map.of("Accept", "text/event-stream");
        assertEquals(
                400,
                client.send("GET", "/incidents/stream?limit=3", null, null, accept)
                        .status());
        assertEquals(406, client.get("/incidents/stream").status());
        try (SseReader stream = SseReader.open("http://127.0.0.1:" + port, "/incidents/stream", null, Map.of())) {
            assertEquals(200, stream.status());
            assertEquals("heartbeat", stream.comment(Duration.ofSeconds(5)));
            contract.check("GET", "/incidents/stream", 200, Map.of("content-type", stream.contentType()), "");
            final var full = client.send("GET", "/incidents/stream", null, null, accept);
            assertEquals(503, full.status(), "one client at most");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * 401, 403 and 429 of every secured operation, with auth on (13 requests per minute per token, as many as one
     * lacking scope makes, a clock that stands still; the webhook routes' 403s spread over two tokens lacking
     * webhooks:manage).
     */
    private void exerciseAuth() {
        try (AuthFixture fixture = new AuthFixture();
                RuleFakes ruleFakes = new RuleFakes()) {
            final var app = fixture.api(new RateLimiter(13, () -> 0L), false)
                    .webhooks(WebhookContract.webhooks())
                    .groupingRules(ruleFakes.rules)
                    .groupingPreviews(ruleFakes.previews)
                    .build();
            app.start("127.0.0.1", 0);
            try {
                final ContractClient client = new ContractClient(app.port(), contract);
                final String id = "/incidents/" + fixture.acme.get(0).id();
                final List<String[]> secured = List.of(
                        new String[] {"GET", "/incidents", null, AuthFixture.NO_READ},
                        new String[] {"GET", id, null, AuthFixture.NO_READ},
                        new String[] {"GET", "/incidents/stream", null, AuthFixture.NO_READ},
                        new String[] {"GET", "/incidents/summary", null, AuthFixture.NO_READ},
                        new String[] {"POST", "/incidents", "{\"title\":\"x\"}", AuthFixture.NO_WRITE},
                        new String[] {"PATCH", id, "{\"title\":\"x\"}", AuthFixture.NO_WRITE},
                        new String[] {"DELETE", id, null, AuthFixture.NO_WRITE},
                        new String[] {"POST", "/alerts", ALERT, AuthFixture.NO_ALERTS},
                        new String[] {"POST", "/alerts/alertmanager", WEBHOOK, AuthFixture.NO_ALERTS},
                        new String[] {"POST", "/api/v2/alerts", POSTABLE, AuthFixture.NO_ALERTS},
                        new String[] {"POST", "/v2/enqueue", PAGERDUTY, AuthFixture.NO_ALERTS},
                        new String[] {"GET", "/api/v2/alerts", null, AuthFixture.NO_READ},
                        new String[] {"GET", "/api/v2/alerts/groups", null, AuthFixture.NO_READ},
                        new String[] {"GET", "/api/v2/status", null, AuthFixture.NO_READ},
                        new String[] {"GET", "/api/v2/receivers", null, AuthFixture.NO_READ},
                        new String[] {"GET", "/api/v2/silences", null, AuthFixture.NO_READ},
                        new String[] {"POST", "/api/v2/silences", SILENCE, AuthFixture.NO_WRITE},
                        new String[] {"GET", "/api/v2/silence/x", null, AuthFixture.NO_READ},
                        new String[] {"DELETE", "/api/v2/silence/x", null, AuthFixture.NO_WRITE},
                        new String[] {"POST", "/webhooks", "{}", AuthFixture.GLOBEX_ALL},
                        new String[] {"GET", "/webhooks", null, AuthFixture.GLOBEX_ALL},
                        new String[] {"GET", "/webhooks/wh_1", null, AuthFixture.GLOBEX_ALL},
                        new String[] {"PATCH", "/webhooks/wh_1", "{}", AuthFixture.GLOBEX_ALL},
                        new String[] {"DELETE", "/webhooks/wh_1", null, AuthFixture.NO_WRITE},
                        new String[] {"POST", "/webhooks/wh_1/rotate-secret", null, AuthFixture.NO_WRITE},
                        new String[] {"GET", "/webhooks/wh_1/deliveries", null, AuthFixture.NO_WRITE},
                        new String[] {"POST", "/webhooks/wh_1/deliveries/dlv_1/redeliver", null, AuthFixture.NO_WRITE},
                        new String[] {"GET", id + "/alerts", null, AuthFixture.NO_READ},
                        new String[] {"GET", "/rules/grouping", null, AuthFixture.NO_READ},
                        new String[] {"GET", "/rules/grouping/r", null, AuthFixture.NO_READ},
                        new String[] {"PUT", "/rules/grouping/r", "{}", AuthFixture.NO_WRITE},
                        new String[] {"DELETE", "/rules/grouping/r", null, AuthFixture.NO_WRITE},
                        new String[] {"POST", "/rules/grouping/preview", "{\"rule\":{}}", AuthFixture.NO_WRITE});
                for (String[] op : secured) {
                    assertEquals(401, client.send(op[0], op[1], op[2], null).status(), op[0] + " " + op[1]);
                    assertEquals(401, client.send(op[0], op[1], op[2], "wrong").status(), op[0] + " " + op[1]);
                    assertEquals(403, client.send(op[0], op[1], op[2], op[3]).status(), op[0] + " " + op[1]);
                }
                for (int i = 0; i < 5; i++) {
                    assertEquals(
                            200,
                            client.send("GET", "/incidents", null, AuthFixture.ALL)
                                    .status());
                    assertEquals(
                            200, client.send("GET", id, null, AuthFixture.ALL).status());
                }
                for (int i = 0; i < 3; i++) {
                    assertEquals(
                            200,
                            client.send("GET", "/incidents", null, AuthFixture.ALL)
                                    .status());
                }
                for (String[] op : secured) {
                    assertEquals(
                            429,
                            client.send(op[0], op[1], op[2], AuthFixture.ALL).status(),
                            op[0] + " " + op[1]);
                }
            } finally {
                app.stop();
            }
        }
    }

    /** Alertmanager's silences over the in-memory silences of a server built without any. */
    private static void exerciseSilences(final ContractClient client) {
        final var created = client.post("/api/v2/silences", SILENCE);
        assertEquals(200, created.status(), created.body());
        final String id = created.json().get("silenceID").asText();
        assertEquals(
                400,
                client.post("/api/v2/silences", SILENCE.replace("DiskFull", "")).status());
        assertEquals(
                404,
                client.post("/api/v2/silences", SILENCE.replace("{", "{\"id\":\"no-such-silence\","))
                        .status());
        assertEquals(
                200, client.get("/api/v2/silences?filter=alertname%3DDiskFull").status());
        assertEquals(400, client.get("/api/v2/silences?filter=%7B").status());
        assertEquals(200, client.get("/api/v2/silence/" + id).status());
        assertEquals(404, client.get("/api/v2/silence/no-such-silence").status());
        assertEquals(
                200, client.send("DELETE", "/api/v2/silence/" + id, null, null).status());
        assertEquals(
                400, client.send("DELETE", "/api/v2/silence/" + id, null, null).status(), "already expired");
        assertEquals(
                404,
                client.send("DELETE", "/api/v2/silence/no-such-silence", null, null)
                        .status());
    }

    /** The write routes over real in-memory stores (see {@link WriteHarness}), every declared answer. */
    private void exerciseWrites() {
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (WriteHarness harness = new WriteHarness()) {
            final var app = harness.app(new RecordingSink(), new FakeHealth(), registry, 4096)
                    .start("127.0.0.1", 0);
            try {
                final ContractClient client = new ContractClient(app.port(), contract);
                final var created = client.post("/incidents", "{\"title\":\"Checkout slow\",\"severity\":\"high\"}");
                assertEquals(201, created.status(), created.body());
                final String id = created.json().get("id").asText();
                assertEquals(
                        400, client.post("/incidents", "{\"titel\":\"typo\"}").status());
                assertEquals(
                        200,
                        client.patch("/incidents/" + id, "{\"status\":\"RESOLVED\",\"note\":\"fixed\"}")
                                .status());
                assertEquals(
                        409,
                        client.patch("/incidents/" + id, "{\"status\":\"ACKNOWLEDGED\"}")
                                .status());
                assertEquals(400, client.patch("/incidents/" + id, "{}").status());
                // past the timeline's entry bound: the answer carries timelineDropped, checked against the schema
                var noted = created;
                for (int n = 0; n < io.incidentstream.model.Bounds.MAX_TIMELINE_ENTRIES; n++) {
                    noted = client.patch("/incidents/" + id, "{\"note\":\"note " + n + "\"}");
                }
                assertEquals(200, noted.status(), noted.body());
                assertTrue(noted.body().contains("\"timelineDropped\":2"), noted.body());
                assertEquals(
                        404,
                        client.patch("/incidents/incident.1.zz", "{\"title\":\"x\"}")
                                .status());
                assertEquals(404, client.delete("/incidents/incident.1.zz").status());
                final Map<String, String> key = Map.of("Idempotency-Key", "contract-1");
                assertEquals(
                        201,
                        client.send("POST", "/incidents", "{\"title\":\"a\"}", null, key)
                                .status());
                assertEquals(
                        422,
                        client.send("POST", "/incidents", "{\"title\":\"b\"}", null, key)
                                .status());
                assertEquals(
                        200,
                        client.send("PATCH", "/incidents/" + id, "{\"note\":\"a\"}", null, key)
                                .status());
                assertEquals(
                        422,
                        client.send("PATCH", "/incidents/" + id, "{\"note\":\"b\"}", null, key)
                                .status());
                assertEquals(204, client.delete("/incidents/" + id).status());

                harness.applyCommands = false;
                assertEquals(
                        202, client.post("/incidents", "{\"title\":\"later\"}").status());
                assertEquals(
                        202,
                        client.patch("/incidents/incident.2.1", "{\"title\":\"later\"}")
                                .status());
                assertEquals(202, client.delete("/incidents/incident.2.1").status());

                harness.sinkFailure = new UnavailableException("broker did not acknowledge", Duration.ofSeconds(5));
                assertEquals(503, client.post("/incidents", "{\"title\":\"x\"}").status());
                assertEquals(
                        503,
                        client.patch("/incidents/incident.2.1", "{\"title\":\"x\"}")
                                .status());
                assertEquals(503, client.delete("/incidents/incident.2.1").status());
            } finally {
                app.stop();
            }
        } finally {
            registry.close();
        }
    }

    /** The grouping rules routes over an in-memory rule store, every declared answer. */
    private void exerciseRules() {
        try (RuleFakes fakes = new RuleFakes()) {
            final var app = HttpApi.builder(
                            new RecordingQueries(),
                            new io.incidentstream.ingest.AlertDecoder(Duration.ofMinutes(5)),
                            new RecordingSink(),
                            new FakeHealth())
                    .groupingRules(fakes.rules)
                    .groupingPreviews(fakes.previews)
                    .build()
                    .start("127.0.0.1", 0);
            try {
                final ContractClient client = new ContractClient(app.port(), contract);
                final String rule = "{\"match\":{\"labels\":{\"service\":\"~db-.*\"},\"severity\":[\"critical\"]},"
                        + "\"groupBy\":[\"host\"],\"window\":\"PT15M\",\"title\":\"{{host}}: {{memberCount}}\"}";
                assertEquals(
                        200,
                        client.send("PUT", "/rules/grouping/db", rule, null).status());
                final var bad = client.send("PUT", "/rules/grouping/db", "{\"minAlerts\":0}", null);
                assertEquals(400, bad.status());
                assertTrue(bad.body().contains("minAlerts"), bad.body());
                assertEquals(200, client.get("/rules/grouping").status());
                assertEquals(200, client.get("/rules/grouping/db").status());
                assertEquals(404, client.get("/rules/grouping/nope").status());
                assertEquals(204, client.delete("/rules/grouping/db").status());
                assertEquals(404, client.delete("/rules/grouping/db").status());
                final var preview = client.send("POST", "/rules/grouping/preview", "{\"rule\":" + rule + "}", null);
                assertEquals(200, preview.status(), preview.body());
                final var badPreview =
                        client.send("POST", "/rules/grouping/preview", "{\"rule\":{\"window\":\"soon\"}}", null);
                assertEquals(400, badPreview.status());
                assertTrue(badPreview.body().contains("rule.window"), badPreview.body());
                fakes.failure = new UnavailableException("not queryable", Duration.ofSeconds(2));
                assertEquals(503, client.get("/rules/grouping").status());
                assertEquals(503, client.get("/rules/grouping/db").status());
                assertEquals(
                        503,
                        client.send("PUT", "/rules/grouping/db", rule, null).status());
                assertEquals(503, client.delete("/rules/grouping/db").status());
                assertEquals(
                        503,
                        client.send("POST", "/rules/grouping/preview", "{\"rule\":" + rule + "}", null)
                                .status());
            } finally {
                app.stop();
            }
        }
    }

    private static Set<String> withoutDefault(final Set<String> exercised) {
        final Set<String> out = new java.util.TreeSet<>(exercised);
        out.remove("GET /incidents 500");
        return out;
    }
}
