package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.incidentstream.ingest.LabelFingerprint;
import io.incidentstream.testkit.ApiClient;
import io.incidentstream.testkit.Ports;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus ({@code prometheus}, Debian) that names incident-stream as its alertmanager
 * ({@code alerting.alertmanagers}, {@code api_version: v2}, so it posts to {@code /api/v2/alerts}):
 * a rule that always fires becomes an incident that every resend folds into, and a rule that stops
 * firing (its metric, scraped from a target the test controls, drops to 0) resolves its incident.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusIT {
    private static final String RULES = """
        groups:
          - name: it
            interval: 1s
            rules:
              - alert: ItAlwaysFiring
                expr: vector(1) > 0
                labels: {severity: critical}
                annotations: {summary: "It always fires"}
              - alert: ItSwitchedOn
                expr: it_switch > 0
                labels: {severity: info}
        """;
    private static final Map<String, String> ALWAYS_LABELS =
            Map.of("alertname", "ItAlwaysFiring", "severity", "critical", "cluster", "it");

    @TempDir
    static Path dir;

    static TestApp app;
    static ExternalProgram prometheus;
    static ApiClient prometheusApi;
    /** A scrape target the test controls: {@code it_switch} is 1 until the test turns it off. */
    static HttpServer switchTarget;

    static final AtomicInteger SWITCH = new AtomicInteger(1);

    @BeforeAll
    static void start() throws Exception {
        final String binary = ExternalProgram.require("prometheus", "prometheus");
        app = TestApp.start(dir.resolve("app"), "prometheus-it", Map.of());
        final int port = Ports.freePort();
        prometheusApi = ApiClient.on(port);
        switchTarget = startSwitchTarget();
        Files.writeString(dir.resolve("rules.yml"), RULES);
        Files.writeString(dir.resolve("prometheus.yml"), """
            global:
              evaluation_interval: 1s
              scrape_interval: 1s
              external_labels: {cluster: it}
            rule_files: [rules.yml]
            scrape_configs:
              - job_name: switch
                static_configs:
                  - targets: ['127.0.0.1:%d']
            alerting:
              alertmanagers:
                - api_version: v2
                  static_configs:
                    - targets: ['127.0.0.1:%d']
            """.formatted(
                        switchTarget.getAddress().getPort(), app.port()));
        // resend-delay 1s: Prometheus re-sends firing alerts every second instead of every minute
        prometheus = ExternalProgram.start(
                "prometheus",
                dir,
                List.of(
                        binary,
                        "--config.file=" + dir.resolve("prometheus.yml"),
                        "--storage.tsdb.path=" + dir.resolve("prometheus-data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--rules.alert.resend-delay=1s"));
        await().atMost(TestApp.WAIT).ignoreExceptions().until(() -> prometheusApi.status("/-/ready") == 200);
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (switchTarget != null) {
            switchTarget.stop(0);
        }
        if (app != null) {
            app.close();
        }
    }

    private static HttpServer startSwitchTarget() throws IOException {
        final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", exchange -> {
            final byte[] body = ("it_switch " + SWITCH.get() + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    @Test
    @Order(1)
    void shouldOpenAnIncidentForAnAlwaysFiringRuleAndFoldEveryResend() throws Exception {
        final String alertId = LabelFingerprint.of(ALWAYS_LABELS);
        await().atMost(TestApp.WAIT)
                .until(() -> app.incidents("alertId=" + alertId).size() == 1);
        final JsonNode first = app.incidents("alertId=" + alertId).get(0);
        assertEquals("ACTIVE", first.get("status").asText());
        assertEquals("ItAlwaysFiring", first.get("alertTemplateId").asText());
        assertEquals("critical", first.get("severity").asText());
        assertEquals("It always fires", first.get("title").asText());
        assertEquals("alertmanager-api-v2", first.at("/reportData/receivedVia").asText());
        assertTrue(first.at("/reportData/generatorURL").asText().contains("/graph?g0.expr="), first::toString);

        await().atMost(TestApp.WAIT)
                .until(() -> app.incidents("alertId=" + alertId)
                                .get(0)
                                .get("alertCount")
                                .asInt()
                        >= 2);
        final JsonNode later = app.incidents("alertId=" + alertId).get(0);
        assertEquals(first.get("id").asText(), later.get("id").asText(), "resends fold into the same incident");
        assertTrue(
                Instant.parse(later.get("validUntil").asText())
                        .isAfter(Instant.parse(first.get("validUntil").asText())),
                "each resend's endsAt moves validUntil forward");
    }

    @Test
    @Order(2)
    void shouldResolveTheIncidentWhenItsRuleStopsFiring() throws Exception {
        await().atMost(TestApp.WAIT).until(() -> count("alertTemplateId=ItSwitchedOn&status=ACTIVE") == 1);
        SWITCH.set(0);
        await().atMost(TestApp.WAIT).until(() -> count("alertTemplateId=ItSwitchedOn&status=RESOLVED") == 1);
        assertEquals(1, count("alertTemplateId=ItSwitchedOn"), "resolved, not replaced by another incident");
        assertEquals(1, count("alertTemplateId=ItAlwaysFiring&status=ACTIVE"), "the other alert is untouched");
    }

    private static long count(final String query) throws Exception {
        return app.api().count(query);
    }
}
