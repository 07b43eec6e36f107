package io.incidentstream.http;

import static io.incidentstream.http.HttpFakes.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.http.HttpFakes.FakeHealth;
import io.incidentstream.http.HttpFakes.RecordingQueries;
import io.incidentstream.http.HttpFakes.RecordingSink;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import io.javalin.testtools.TestCase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /health/live}, {@code /health/ready} follow the {@link io.incidentstream.http.Health}; {@code /metrics} scrapes. */
class HealthAndMetricsTest {
    private final FakeHealth health = new FakeHealth();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private void run(final TestCase test) {
        JavalinTest.test(
                HttpFakes.app(
                        new RecordingQueries(), new RecordingSink(), health, registry, HttpFakes.DEFAULT_MAX_BODY),
                test);
    }

    private static void assertHealth(final Response response, final int code, final String status) {
        assertEquals(code, response.code(), response.body().string());
        final JsonNode body = json(response);
        assertEquals(status, body.path("status").asText(), body.toString());
        assertEquals("RUNNING", body.path("streams").asText(), "details belong in the body: " + body);
    }

    @Test
    void shouldReportUpOnBothProbesWhenLiveAndReady() {
        run((server, client) -> {
            assertHealth(client.get("/health/live"), 200, "UP");
            assertHealth(client.get("/health/ready"), 200, "UP");
        });
    }

    @Test
    void shouldReportNotReadyWhileStillLive() {
        health.ready = false;
        run((server, client) -> {
            assertHealth(client.get("/health/live"), 200, "UP");
            assertHealth(client.get("/health/ready"), 503, "DOWN");
        });
    }

    @Test
    void shouldReportDownOnLivenessWhenNotLive() {
        health.live = false;
        health.ready = false;
        run((server, client) -> {
            assertHealth(client.get("/health/live"), 503, "DOWN");
            assertHealth(client.get("/health/ready"), 503, "DOWN");
        });
    }

    @Test
    void shouldFollowHealthChangesWithoutRestart() {
        run((server, client) -> {
            assertEquals(200, client.get("/health/ready").code());
            health.ready = false;
            assertEquals(503, client.get("/health/ready").code());
            health.ready = true;
            assertEquals(200, client.get("/health/ready").code());
        });
    }

    @Test
    void shouldCarryEveryDetailOfTheHealthInTheBody() {
        health.details = Map.of("streams", "RUNNING", "partitions", 6);
        run((server, client) -> {
            final JsonNode body = json(client.get("/health/ready"));
            assertEquals(6, body.path("partitions").asInt(), body.toString());
        });
    }

    @Test
    void shouldServePrometheusTextWithRegisteredMeters() {
        registry.counter("test.counter").increment(3);
        run((server, client) -> {
            final Response response = client.get("/metrics");
            assertEquals(200, response.code());
            assertTrue(
                    response.headers().get("Content-Type").get(0).startsWith("text/plain"),
                    response.headers().get("Content-Type").toString());
            final String text = response.body().string();
            assertTrue(text.contains("# TYPE test_counter_total counter"), text);
            assertTrue(text.contains("test_counter_total 3.0"), text);
        });
    }

    @Test
    void shouldHaveNoMetricsRouteWithoutARegistry() {
        JavalinTest.test(HttpFakes.app(new RecordingQueries(), new RecordingSink()), (server, client) -> {
            final Response response = client.get("/metrics");
            assertEquals(404, response.code());
            assertTrue(
                    json(response).path("message").isTextual(), response.body().string());
        });
    }
}
