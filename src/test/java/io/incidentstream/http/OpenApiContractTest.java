package io.incidentstream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.errors.BadRequestException;
import io.incidentstream.errors.UnavailableException;
import io.incidentstream.http.HttpFakes.FakeHealth;
import io.incidentstream.http.HttpFakes.RecordingQueries;
import io.incidentstream.http.HttpFakes.RecordingSink;
import io.incidentstream.query.IncidentPage;
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
    private static final String ALERT = "{\"alertId\":\"a\",\"status\":\"FIRING\",\"checkedAt\":\"2026-01-01T00:00:00Z\"}";

    private final OpenApiContract contract = OpenApiContract.load();

    @Test
    void shouldBeAValidOpenApi31Document() {
        final SwaggerParseResult result = new OpenAPIV3Parser().readContents(contract.document().toString());
        assertEquals(List.of(), result.getMessages());
        assertEquals("3.1.0", result.getOpenAPI().getOpenapi());
        assertEquals(Set.of("/alerts", "/incidents", "/incidents/{id}", "/health/live", "/health/ready", "/metrics", "/openapi.json"),
            result.getOpenAPI().getPaths().keySet());
    }

    @Test
    void shouldKeepSeed000SchemasFieldForField() {
        final var schemas = contract.document().get("components").get("schemas");
        for (String field : List.of("id", "alertId", "alertVersion", "alertTemplateId", "validUntil", "reportData", "status",
            "lastCheckedAt", "createdAt", "updatedAt")) {
            assertTrue(schemas.get("Incident").get("properties").has(field), field);
        }
        assertEquals(500, schemas.get("ErrorResponse").get("properties").get("message").get("maxLength").asInt());
        assertTrue(schemas.get("IncidentsPaginatedResponse").get("properties").has("nextToken"));
        assertEquals(false, schemas.get("Incident").get("additionalProperties").asBoolean(),
            "closed like the seed's, so an undocumented field fails the contract test");
    }

    @Test
    void shouldRejectABodyThatBreaksTheSchema() {
        assertThrows(AssertionError.class, () -> contract.check("GET", "/incidents/x", 404,
            Map.of("content-type", "application/json"), "{\"message\":\"gone\",\"stack\":\"at ...\"}"));
        assertThrows(AssertionError.class, () -> contract.check("GET", "/incidents", 200,
            Map.of("content-type", "application/json"), "{\"data\":[{\"id\":\"x\"}]}"), "required fields missing");
        final String incident = io.incidentstream.ingest.Json.mapper().valueToTree(HttpFakes.incident("incident.0.1")).toString();
        contract.check("GET", "/incidents", 200, Map.of("content-type", "application/json"), "{\"data\":[" + incident + "]}");
        assertThrows(AssertionError.class, () -> contract.check("GET", "/incidents", 200, Map.of("content-type", "application/json"),
            "{\"data\":[" + incident.replace("2026-11-23T10:00:00Z", "yesterday") + "]}"), "formats are asserted");
        assertThrows(AssertionError.class, () -> contract.check("GET", "/incidents", 418,
            Map.of("content-type", "text/html"), "<p>teapot</p>"), "undocumented content type");
        assertThrows(AssertionError.class, () -> contract.check("GET", "/incidents", 503,
            Map.of("content-type", "application/json"), "{\"message\":\"later\"}"), "Retry-After missing");
    }

    @Test
    void shouldProduceEveryDeclaredResponseMatchingTheDocument() {
        final RecordingQueries queries = new RecordingQueries();
        final RecordingSink sink = new RecordingSink();
        final FakeHealth health = new FakeHealth();
        health.details = Map.of("streams", "RUNNING", "storesQueryable", true, "partitions", 6, "broker", "reachable");
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final var app = HttpFakes.app(queries, sink, health, registry, 1024);
        app.start("127.0.0.1", 0);
        try {
            final ContractClient client = new ContractClient(app.port(), contract);
            final var incident = HttpFakes.incident("incident.2.a");
            queries.incident = HttpFakes.withTimeline(incident);
            queries.page = new IncidentPage(List.of(incident, HttpFakes.incident("incident.3.b")), "opaque-token", 2L);

            assertEquals(202, client.post("/alerts", ALERT).statusCode());
            assertEquals(400, client.post("/alerts", "{").statusCode());
            assertEquals(413, client.post("/alerts", "[" + (ALERT + ",").repeat(20) + ALERT + "]").statusCode());
            assertEquals(200, client.get("/incidents?includeCount=true").statusCode());
            assertEquals(400, client.get("/incidents?limit=1000").statusCode());
            assertEquals(200, client.get("/incidents/incident.2.a").statusCode());
            assertEquals(404, client.get("/incidents/incident.9.z").statusCode());
            assertEquals(200, client.get("/health/live").statusCode());
            assertEquals(200, client.get("/health/ready").statusCode());
            assertEquals(200, client.get("/metrics").statusCode());
            final var served = client.get("/openapi.json");
            assertEquals(contract.document(), io.incidentstream.ingest.Json.mapper().readTree(served.body()), "served as-is");

            sink.failure = new UnavailableException("broker did not acknowledge", Duration.ofSeconds(5));
            assertEquals(503, client.post("/alerts", ALERT).statusCode());
            queries.failure = new UnavailableException("rebalancing", Duration.ofSeconds(2));
            assertEquals(503, client.get("/incidents").statusCode());
            assertEquals(503, client.get("/incidents/incident.2.a").statusCode());
            health.live = false;
            health.ready = false;
            health.details = Map.of("streams", "ERROR", "storesQueryable", false, "broker", "unreachable");
            assertEquals(503, client.get("/health/live").statusCode());
            assertEquals(503, client.get("/health/ready").statusCode());
            queries.failure = new IllegalStateException("a bug");
            assertEquals(500, client.get("/incidents").statusCode(), "falls under default: ErrorResponse");
            queries.failure = new BadRequestException("x".repeat(2_000));
            assertEquals(400, client.get("/incidents").statusCode(), "long messages are cut to the documented 500");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            app.stop();
            registry.close();
        }
        exerciseAuth();
        assertEquals(contract.declaredResponses(), withoutDefault(contract.exercised()),
            "every declared response was produced and validated");
    }

    /** 401, 403 and 429 of every secured operation, with auth on (2 requests per minute per token, a clock that stands still). */
    private void exerciseAuth() {
        try (AuthFixture fixture = new AuthFixture()) {
            final var app = HttpApi.create(fixture.dependencies(new io.incidentstream.auth.RateLimiter(2, () -> 0L), false));
            app.start("127.0.0.1", 0);
            try {
                final ContractClient client = new ContractClient(app.port(), contract);
                final String id = "/incidents/" + fixture.acme.get(0).id();
                assertEquals(401, client.send("GET", "/incidents", null, null).statusCode());
                assertEquals(401, client.send("GET", id, null, "wrong").statusCode());
                assertEquals(401, client.send("POST", "/alerts", ALERT, null).statusCode());
                assertEquals(403, client.send("GET", "/incidents", null, AuthFixture.NO_READ).statusCode());
                assertEquals(403, client.send("GET", id, null, AuthFixture.NO_READ).statusCode());
                assertEquals(403, client.send("POST", "/alerts", ALERT, AuthFixture.NO_ALERTS).statusCode());
                assertEquals(200, client.send("GET", "/incidents", null, AuthFixture.ALL).statusCode());
                assertEquals(200, client.send("GET", id, null, AuthFixture.ALL).statusCode());
                assertEquals(429, client.send("GET", "/incidents", null, AuthFixture.ALL).statusCode());
                assertEquals(429, client.send("GET", id, null, AuthFixture.ALL).statusCode());
                assertEquals(429, client.send("POST", "/alerts", ALERT, AuthFixture.ALL).statusCode());
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
