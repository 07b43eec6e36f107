package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.ingest.LabelFingerprint;
import io.incidentstream.testkit.ApiClient;
import io.incidentstream.testkit.ApiResponse;
import io.incidentstream.testkit.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus Alertmanager ({@code prometheus-alertmanager}, Debian) with a webhook receiver
 * pointing at {@code /alerts/alertmanager}: alerts posted to Alertmanager become incidents, every
 * re-notification folds into them, and they resolve when Alertmanager resolves the alerts.
 */
class AlertmanagerIT {
    private static final Map<String, String> DB1 =
            Map.of("alertname", "ItDiskFull", "instance", "db1:9100", "severity", "critical");
    private static final Map<String, String> DB2 =
            Map.of("alertname", "ItDiskFull", "instance", "db2:9100", "severity", "warning");

    @TempDir
    static Path dir;

    static TestApp app;
    static ExternalProgram alertmanager;
    static ApiClient alertmanagerApi;

    @BeforeAll
    static void start() throws Exception {
        final String binary = ExternalProgram.require("prometheus-alertmanager", "prometheus-alertmanager");
        app = TestApp.start(dir.resolve("app"), "alertmanager-it", Map.of());
        final int port = Ports.freePort();
        alertmanagerApi = ApiClient.on(port);
        // repeat_interval 1s: every flush re-notifies, so the test sees re-notifications fold
        Files.writeString(dir.resolve("alertmanager.yml"), """
            route:
              receiver: incident-stream
              group_by: [alertname]
              group_wait: 200ms
              group_interval: 1s
              repeat_interval: 1s
            receivers:
              - name: incident-stream
                webhook_configs:
                  - url: http://127.0.0.1:%d/alerts/alertmanager
                    send_resolved: true
            """.formatted(app.port()));
        alertmanager = ExternalProgram.start(
                "alertmanager",
                dir,
                List.of(
                        binary,
                        "--config.file=" + dir.resolve("alertmanager.yml"),
                        "--storage.path=" + dir.resolve("alertmanager-data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--cluster.listen-address="));
        await().atMost(TestApp.WAIT).ignoreExceptions().until(() -> alertmanagerApi.status("/-/ready") == 200);
    }

    @AfterAll
    static void stop() {
        if (alertmanager != null) {
            alertmanager.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void shouldOpenIncidentsForAlertmanagerAlertsFoldItsRepeatsAndResolveWithIt() throws Exception {
        assertEquals(200, postToAlertmanager(null).status());
        await().atMost(TestApp.WAIT).until(() -> count("status=ACTIVE") == 2);

        final JsonNode db1 = incident(DB1);
        assertEquals(LabelFingerprint.of(DB1), db1.get("alertId").asText(), "alertId is Alertmanager's fingerprint");
        assertEquals(alertmanagersFingerprint(DB1), db1.get("alertId").asText());
        assertEquals("critical", db1.get("severity").asText());
        assertEquals("warning", incident(DB2).get("labels").get("severity").asText());
        assertEquals("medium", incident(DB2).get("severity").asText());
        assertEquals("Disk full on db1:9100", db1.get("title").asText());
        assertEquals("alertmanager-webhook", db1.at("/reportData/receivedVia").asText());
        assertEquals("incident-stream", db1.at("/reportData/receiver").asText());

        await().atMost(TestApp.WAIT).until(() -> incident(DB1).get("alertCount").asInt() >= 2);
        assertTrue(
                Instant.parse(incident(DB1).get("validUntil").asText())
                        .isAfter(Instant.parse(db1.get("validUntil").asText())),
                "a re-notification moves validUntil forward" + alertmanager.output());

        assertEquals(200, postToAlertmanager(Instant.now()).status());
        await().atMost(TestApp.WAIT).until(() -> count("status=RESOLVED") == 2);
        assertEquals(0, count("status=ACTIVE"));
    }

    /** Posts both alerts to Alertmanager's own API; an {@code endsAt} that has passed resolves them there. */
    private static ApiResponse postToAlertmanager(final Instant endsAt) throws Exception {
        return alertmanagerApi.post("/api/v2/alerts", List.of(alert(DB1, endsAt), alert(DB2, endsAt)));
    }

    private static Map<String, Object> alert(final Map<String, String> labels, final Instant endsAt) {
        final Map<String, Object> alert = new HashMap<>(Map.of(
                "labels",
                labels,
                "annotations",
                Map.of("summary", "Disk full on " + labels.get("instance")),
                "generatorURL",
                "http://prometheus.example.org/graph"));
        if (endsAt != null) {
            alert.put("endsAt", endsAt.toString());
        }
        return alert;
    }

    private static long count(final String filter) throws Exception {
        return app.api().count("alertTemplateId=ItDiskFull&" + filter);
    }

    private static JsonNode incident(final Map<String, String> labels) throws Exception {
        final JsonNode data = app.incidents("alertId=" + LabelFingerprint.of(labels));
        assertEquals(1, data.size(), data::toString);
        return data.get(0);
    }

    private static String alertmanagersFingerprint(final Map<String, String> labels) throws Exception {
        final JsonNode alerts = alertmanagerApi.get("/api/v2/alerts").json();
        return StreamSupport.stream(alerts.spliterator(), false)
                .filter(a -> a.get("labels").get("instance").asText().equals(labels.get("instance")))
                .map(a -> a.get("fingerprint").asText())
                .findFirst()
                .orElseThrow();
    }
}
