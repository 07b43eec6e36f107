package io.incidentstream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.incidentstream.codec.Json;
import io.incidentstream.http.HttpFakes.FakeHealth;
import io.incidentstream.http.HttpFakes.RecordingQueries;
import io.incidentstream.http.HttpFakes.RecordingSink;
import io.incidentstream.ingest.AlertDecoder;
import io.incidentstream.model.Incident;
import io.incidentstream.model.Source;
import io.incidentstream.model.Status;
import io.incidentstream.query.AlertmanagerReads;
import io.incidentstream.query.AlertmanagerStatusSource;
import io.incidentstream.query.IncidentPage;
import io.incidentstream.query.PeerDirectory;
import io.javalin.Javalin;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Our answers to Alertmanager's read API, produced by the real routes over fakes, against
 * Alertmanager's own published {@code openapi.yaml} ({@link AlertmanagerSpec}): the schemas, formats
 * included, and no field the document does not name. The validator is shown to fail on bodies that
 * break a field's shape, so a pass means something.
 */
class AlertmanagerOpenApiTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:02:00Z");

    private final AlertmanagerSpec spec = AlertmanagerSpec.load();
    private final RecordingQueries queries = new RecordingQueries();

    private static List<Incident> incidents() {
        final ObjectNode report = Json.mapper().createObjectNode();
        report.put("receivedVia", "alertmanager-api-v2");
        report.put("generatorURL", "http://prometheus.example.org/graph?g0.expr=up");
        report.putObject("annotations").put("runbook_url", "https://runbooks.example.org/disk");
        final Incident fromPrometheus = HttpFakes.incident("incident.0.a").toBuilder()
                .alertId("1a30ba71cca2921f")
                .labels(Map.of("alertname", "DiskFull", "instance", "db1:9100", "severity", "critical"))
                .description("Disk at 99%")
                .reportData(report)
                .build();
        final Incident acknowledged = HttpFakes.incident("incident.1.b").toBuilder()
                .status(Status.ACKNOWLEDGED)
                .labels(Map.of())
                .build();
        final Incident manual = HttpFakes.incident("incident.2.c").toBuilder()
                .source(Source.MANUAL)
                .alertId(null)
                .alertTemplateId(null)
                .validUntil(null)
                .reportData(null)
                .build();
        return List.of(fromPrometheus, acknowledged, manual);
    }

    private Javalin app(final AlertmanagerStatusSource status) {
        queries.page = new IncidentPage(incidents(), null, null);
        final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        return HttpApi.builder(queries, new AlertDecoder(HttpFakes.TTL), new RecordingSink(), new FakeHealth())
                .clock(clock)
                .alertmanagerReads(new AlertmanagerReads(queries, status, clock, 100))
                .build();
    }

    private void run(final AlertmanagerStatusSource status, final Consumer<io.javalin.testtools.HttpClient> test) {
        JavalinTest.test(app(status), (server, client) -> test.accept(client));
    }

    private static JsonNode ok(final Response response) {
        final String body = response.body().string();
        assertEquals(200, response.code(), body);
        try {
            return Json.mapper().readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError(body, e);
        }
    }

    @Test
    void shouldAnswerAlertsGroupsStatusAndReceiversAsAlertmanagersDocumentDefinesThem() {
        run(standalone(), client -> {
            final JsonNode alerts = ok(client.get("/api/v2/alerts"));
            assertEquals(3, alerts.size(), alerts::toString);
            spec.check("/alerts", alerts);
            spec.check("/alerts/groups", ok(client.get("/api/v2/alerts/groups")));
            spec.check("/status", ok(client.get("/api/v2/status")));
            spec.check("/receivers", ok(client.get("/api/v2/receivers")));
        });
        run(cluster(), client -> {
            final JsonNode status = ok(client.get("/api/v2/status"));
            spec.check("/status", status);
            assertEquals("ready", status.at("/cluster/status").asText());
            assertEquals(2, status.at("/cluster/peers").size());
        });
    }

    @Test
    void shouldAcceptEveryQueryParameterAlertmanagerDocuments() {
        run(standalone(), client -> {
            for (String path : List.of("/alerts", "/alerts/groups", "/receivers", "/status")) {
                for (JsonNode param : spec.queryParameters(path)) {
                    final String name = param.get("name").asText();
                    final String value = param.path("type").asText().equals("boolean") ? "false" : sample(name);
                    final Response response = client.get("/api/v2" + path + "?" + name + "=" + value);
                    assertEquals(
                            200,
                            response.code(),
                            path + "?" + name + ": " + response.body().string());
                }
            }
        });
    }

    private static String sample(final String name) {
        return switch (name) {
            case "receiver" -> "incident-.*";
            default -> "alertname%3D%22DiskFull%22";
        };
    }

    @Test
    void shouldFailBodiesThatBreakTheDocumentsShapes() {
        run(standalone(), client -> {
            final JsonNode alerts = ok(client.get("/api/v2/alerts"));
            assertTrue(spec.violations("/alerts", alerts).isEmpty());
            assertBroken("/alerts", alerts, a -> ((ObjectNode) a.get(0)).remove("fingerprint"));
            assertBroken("/alerts", alerts, a -> ((ObjectNode) a.get(0).get("status")).put("state", "firing"));
            assertBroken("/alerts", alerts, a -> ((ObjectNode) a.get(0).get("status")).remove("mutedBy"));
            assertBroken("/alerts", alerts, a -> ((ObjectNode) a.get(0)).put("startsAt", "yesterday"));
            assertBroken("/alerts", alerts, a -> ((ObjectNode) a.get(0).get("labels")).put("severity", 3));
            assertBroken("/alerts", alerts, a -> ((ObjectNode) a.get(0)).put("generatorURL", "not a uri"));
            assertBroken("/alerts", alerts, a -> ((ObjectNode) a.get(0)).put("generatorUrl", "http://x.org"));
            final JsonNode groups = ok(client.get("/api/v2/alerts/groups"));
            assertBroken("/alerts/groups", groups, g -> ((ObjectNode) g.get(0)).remove("routeLabels"));
            final JsonNode status = ok(client.get("/api/v2/status"));
            assertBroken("/status", status, s -> ((ObjectNode) s.get("cluster")).put("status", "up"));
            assertBroken("/status", status, s -> ((ObjectNode) s.get("versionInfo")).remove("goVersion"));
        });
    }

    private void assertBroken(final String path, final JsonNode valid, final Consumer<JsonNode> breakIt) {
        final JsonNode copy = valid.deepCopy();
        breakIt.accept(copy);
        assertFalse(spec.violations(path, copy).isEmpty(), "accepted a broken body: " + copy);
    }

    private static AlertmanagerStatusSource standalone() {
        return AlertmanagerStatusSource.standalone(NOW.minusSeconds(3600), AlertmanagerStatusSource.versionInfo());
    }

    private static AlertmanagerStatusSource cluster() {
        final PeerDirectory directory = new PeerDirectory() {
            @Override
            public List<Peer> peers() {
                return List.of(new Peer("10.0.0.2:8080", false), new Peer("10.0.0.1:8080", true));
            }

            @Override
            public Optional<Peer> ownerOf(final int partition) {
                return Optional.empty();
            }

            @Override
            public int partitionCount() {
                return 6;
            }
        };
        return AlertmanagerStatusSource.cluster(
                directory, "10.0.0.1:8080", NOW.minusSeconds(3600), AlertmanagerStatusSource.versionInfo());
    }
}
