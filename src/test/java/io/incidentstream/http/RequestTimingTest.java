package io.incidentstream.http;

import static io.incidentstream.http.HttpFakes.postRaw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.http.HttpFakes.FakeHealth;
import io.incidentstream.http.HttpFakes.RecordingQueries;
import io.incidentstream.http.HttpFakes.RecordingSink;
import io.incidentstream.metrics.PrometheusText;
import io.javalin.testtools.JavalinTest;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code http.server.requests}: one timer per method, route template and status, never raw paths. */
class RequestTimingTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RecordingQueries queries = new RecordingQueries();

    @AfterEach
    void close() {
        registry.close();
    }

    private PrometheusText scrape() {
        return PrometheusText.parse(registry.scrape());
    }

    private double count(final PrometheusText m, final String method, final String uri, final String status) {
        return m.sum("http_server_requests_seconds_count", "method", method, "uri", uri, "status", status);
    }

    /** A method no route knows; sent with the JDK client since the test client only knows the usual ones. */
    private static void brew(final int port) throws Exception {
        HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/incidents"))
                                .method("BREW", HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
    }

    @Test
    void shouldTagByRouteTemplateMethodAndStatus() {
        queries.incident = HttpFakes.incident("incident.0.1");
        JavalinTest.test(
                HttpFakes.app(queries, new RecordingSink(), new FakeHealth(), registry, HttpFakes.DEFAULT_MAX_BODY),
                (server, client) -> {
                    client.get("/incidents/incident.0.1");
                    client.get("/incidents/incident.0.2");
                    client.get("/incidents/incident.0.3");
                    client.get("/incidents?limit=0");
                    client.get("/incidents");
                    postRaw(
                            client,
                            "/alerts",
                            "{\"alertId\":\"a\",\"status\":\"FIRING\",\"checkedAt\":\"2026-01-01T00:00:00Z\"}");
                    client.get("/no/such/route/42");
                    brew(server.port());

                    final PrometheusText m = scrape();
                    assertEquals(1.0, count(m, "GET", "/incidents/{id}", "200"));
                    assertEquals(2.0, count(m, "GET", "/incidents/{id}", "404"), "unknown ids share the template");
                    assertEquals(1.0, count(m, "GET", "/incidents", "400"));
                    assertEquals(1.0, count(m, "GET", "/incidents", "200"));
                    assertEquals(1.0, count(m, "POST", "/alerts", "202"));
                    assertEquals(1.0, count(m, "GET", "NOT_FOUND", "404"), "unmatched paths collapse into one series");
                    assertEquals(
                            1.0,
                            m.sum("http_server_requests_seconds_count", "method", "OTHER"),
                            "odd methods collapse too");
                    assertEquals(
                            "CLIENT_ERROR",
                            m.matching("http_server_requests_seconds_count", "status", "400")
                                    .get(0)
                                    .labels()
                                    .get("outcome"));
                    for (PrometheusText.Sample s : m.matching("http_server_requests_seconds_count")) {
                        assertTrue(!s.labels().get("uri").contains("incident.0"), "a raw path leaked into a tag: " + s);
                    }
                    assertTrue(
                            m.value(
                                            "http_server_requests_seconds_bucket",
                                            "method",
                                            "POST",
                                            "uri",
                                            "/alerts",
                                            "le",
                                            "10.0")
                                    >= 1.0,
                            "latency histogram buckets are exposed");
                });
    }
}
