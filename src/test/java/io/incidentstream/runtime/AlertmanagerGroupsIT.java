package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.ingest.LabelFingerprint;
import io.incidentstream.testkit.ApiClient;
import io.incidentstream.testkit.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ALERTMANAGER_GROUPS=true} with a real Alertmanager ({@code prometheus-alertmanager}, Debian)
 * grouping by {@code alertname}: its webhook notification of a group becomes one incident whose members
 * are the group's alerts, our Alertmanager API answers with the same groups as Alertmanager's own, and
 * the incident resolves when Alertmanager resolves them all.
 */
class AlertmanagerGroupsIT {
    private static final Map<String, String> DB1 = Map.of("alertname", "ItGroupedDisk", "instance", "db1:9100");
    private static final Map<String, String> DB2 = Map.of("alertname", "ItGroupedDisk", "instance", "db2:9100");
    private static final Map<String, String> WEB = Map.of("alertname", "ItGroupedLatency", "instance", "web:80");

    @TempDir
    Path dir;

    @Test
    void shouldMakeOneIncidentOfEachAlertmanagerGroup() throws Exception {
        final String binary = ExternalProgram.require("prometheus-alertmanager", "prometheus-alertmanager");
        try (TestApp app = TestApp.start(dir.resolve("app"), "am-groups-it", Map.of("ALERTMANAGER_GROUPS", "true"))) {
            final int port = Ports.freePort();
            final ApiClient alertmanagerApi = ApiClient.on(port);
            Files.writeString(dir.resolve("alertmanager.yml"), """
                route:
                  receiver: incident-stream
                  group_by: [alertname]
                  group_wait: 200ms
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: incident-stream
                    webhook_configs:
                      - url: http://127.0.0.1:%d/alerts/alertmanager
                        send_resolved: true
                """.formatted(app.port()));
            try (ExternalProgram alertmanager = ExternalProgram.start(
                    "alertmanager",
                    dir,
                    List.of(
                            binary,
                            "--config.file=" + dir.resolve("alertmanager.yml"),
                            "--storage.path=" + dir.resolve("alertmanager-data"),
                            "--web.listen-address=127.0.0.1:" + port,
                            "--cluster.listen-address="))) {
                await().atMost(TestApp.WAIT).ignoreExceptions().until(() -> alertmanagerApi.status("/-/ready") == 200);
                assertEquals(
                        200,
                        alertmanagerApi
                                .post("/api/v2/alerts", List.of(alert(DB1, null), alert(DB2, null), alert(WEB, null)))
                                .status());
                await().atMost(TestApp.WAIT)
                        .until(() -> members(app).size() == 2 && members(app).containsKey(2L));

                final JsonNode disk = grouped(app, "ItGroupedDisk");
                assertEquals("alertmanager", disk.get("ruleId").asText());
                assertTrue(
                        disk.at("/groupLabels/alertmanagerGroupKey").asText().contains("ItGroupedDisk"),
                        disk.toString());
                final JsonNode full =
                        app.api().json("/incidents/" + disk.get("id").asText());
                final Set<String> ids = new TreeSet<>();
                full.get("alerts").forEach(m -> ids.add(m.get("alertId").asText()));
                assertEquals(new TreeSet<>(Set.of(LabelFingerprint.of(DB1), LabelFingerprint.of(DB2))), ids);
                assertEquals(
                        1, grouped(app, "ItGroupedLatency").get("memberCount").asInt());
                assertEquals(
                        groups(alertmanagerApi.json("/api/v2/alerts/groups")),
                        groups(app.api().json("/api/v2/alerts/groups")),
                        "our Alertmanager API answers with Alertmanager's own groups: labels and member fingerprints; the incident: "
                                + app.api().json("/incidents/" + disk.get("id").asText()));

                final Instant now = Instant.now();
                assertEquals(
                        200,
                        alertmanagerApi
                                .post("/api/v2/alerts", List.of(alert(DB1, now), alert(DB2, now), alert(WEB, now)))
                                .status());
                await().atMost(TestApp.WAIT).until(() -> app.api().count("status=RESOLVED") == 2);
                assertEquals(2, app.api().count(""), "no incident per alert beside the groups" + alertmanager.output());
            }
        }
    }

    /** An {@code /api/v2/alerts/groups} answer as group labels → the fingerprints of its alerts. */
    private static Map<Map<String, String>, Set<String>> groups(final JsonNode answer) {
        final Map<Map<String, String>, Set<String>> out = new HashMap<>();
        for (JsonNode group : answer) {
            final Map<String, String> labels = new HashMap<>();
            group.get("labels")
                    .properties()
                    .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            final Set<String> fingerprints = new TreeSet<>();
            group.get("alerts")
                    .forEach(a -> fingerprints.add(a.get("fingerprint").asText()));
            out.put(labels, fingerprints);
        }
        return out;
    }

    /** The open and closed incidents by member count. */
    private static Map<Long, JsonNode> members(final TestApp app) throws Exception {
        final Map<Long, JsonNode> out = new HashMap<>();
        for (JsonNode i : app.api().listAll("limit=100")) {
            out.put(i.path("memberCount").asLong(0), i);
        }
        return out;
    }

    private static JsonNode grouped(final TestApp app, final String alertname) throws Exception {
        return app.api().listAll("limit=100").stream()
                .filter(i -> i.at("/groupLabels/alertmanagerGroupKey").asText().contains(alertname))
                .findFirst()
                .orElseThrow();
    }

    private static Map<String, Object> alert(final Map<String, String> labels, final Instant endsAt) {
        final Map<String, Object> alert = new HashMap<>(
                Map.of("labels", labels, "annotations", Map.of("summary", "trouble on " + labels.get("instance"))));
        if (endsAt != null) {
            alert.put("endsAt", endsAt.toString());
        }
        return alert;
    }
}
