package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.codec.Json;
import io.incidentstream.ingest.LabelFingerprint;
import io.incidentstream.testkit.ApiClient;
import io.incidentstream.testkit.Ports;
import io.incidentstream.testkit.TestTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code amtool} (Debian's {@code prometheus-alertmanager}) pointed at incident-stream as if it
 * were an Alertmanager: {@code alert query} with and without matchers and with {@code --silenced}, and
 * {@code cluster show}, {@code silence add}, {@code query} and {@code expire}, each through a bearer token in amtool's {@code --http.config.file}, so tenancy
 * and scopes are those of every route. Under {@code CI=true} a missing amtool fails the test.
 */
class AmtoolIT {
    private static final Map<String, String> DB1 =
            Map.of("alertname", "ItDiskFull", "instance", "db1:9100", "severity", "critical");
    private static final Map<String, String> DB2 =
            Map.of("alertname", "ItDiskFull", "instance", "db2:9100", "severity", "warning");
    private static final Map<String, String> API =
            Map.of("alertname", "ItLatencyHigh", "service", "checkout", "severity", "warning");
    private static final Map<String, String> OTHER = Map.of("alertname", "ItGlobexOnly", "instance", "gx1:9100");

    @TempDir
    static Path dir;

    static String amtool;
    static TestApp app;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        amtool = ExternalProgram.require("amtool", "prometheus-alertmanager");
        final Path tokens =
                TestTokens.write(dir.resolve("tokens.yaml"), TestTokens.perTenant(List.of("acme", "globex")));
        port = Ports.freePort();
        app = TestApp.start(
                dir.resolve("app"),
                "amtool-it",
                Map.of(
                        "AUTH_TOKENS_FILE",
                        tokens.toString(),
                        "PEER_TOKEN",
                        "amtool-it-peer-secret",
                        "HTTP_HOST",
                        "127.0.0.1",
                        "HTTP_PORT",
                        Integer.toString(port),
                        "APPLICATION_SERVER",
                        "127.0.0.1:" + port));
        for (String tenant : List.of("acme", "globex")) {
            Files.writeString(dir.resolve(tenant + "-http.yml"), """
                    authorization:
                      type: Bearer
                      credentials: %s
                    """.formatted(TestTokens.of(tenant)));
        }
        final ApiClient acme = app.api().as("acme");
        acme.post("/api/v2/alerts", List.of(postable(DB1), postable(DB2), postable(API)))
                .assertStatus(200);
        app.api().as("globex").post("/api/v2/alerts", List.of(postable(OTHER))).assertStatus(200);
        await().atMost(TestApp.WAIT).until(() -> acme.count("status=ACTIVE") == 3);
        await().atMost(TestApp.WAIT).until(() -> app.api().as("globex").count("status=ACTIVE") == 1);
        final String latency = acme.json("/incidents?alertTemplateId=ItLatencyHigh")
                .get("data")
                .get(0)
                .get("id")
                .asText();
        acme.patch("/incidents/" + latency, Map.of("status", "ACKNOWLEDGED")).assertStatus(200);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void shouldListTheTenantsOpenIncidentsAsAlerts() throws Exception {
        final JsonNode alerts = json("acme", "alert", "query");
        assertEquals(
                Set.of("ItDiskFull/db1:9100", "ItDiskFull/db2:9100", "ItLatencyHigh/"),
                names(alerts),
                alerts::toString);
        for (JsonNode alert : alerts) {
            assertEquals("incident-stream", alert.at("/receivers/0/name").asText());
        }
        final JsonNode db1 = find(alerts, "db1:9100");
        assertEquals(LabelFingerprint.of(DB1), db1.get("fingerprint").asText(), "Prometheus' fingerprint");
        assertEquals("Disk full on db1:9100", db1.at("/annotations/summary").asText());
        assertEquals("active", db1.at("/status/state").asText());
        assertEquals(
                "http://prometheus.example.org/graph", db1.get("generatorURL").asText());
        assertEquals(Set.of("ItGlobexOnly/gx1:9100"), names(json("globex", "alert", "query")), "tenancy");
    }

    @Test
    void shouldFilterWithAlertmanagerMatchers() throws Exception {
        assertEquals(
                Set.of("ItDiskFull/db1:9100", "ItDiskFull/db2:9100"),
                names(json("acme", "alert", "query", "alertname=ItDiskFull")));
        assertEquals(
                Set.of("ItDiskFull/db1:9100", "ItDiskFull/db2:9100"),
                names(json("acme", "alert", "query", "ItDiskFull")),
                "a bare first word is an alertname, as amtool reads it");
        assertEquals(
                Set.of("ItDiskFull/db1:9100"),
                names(json("acme", "alert", "query", "instance=~db1.*", "severity!=warning")));
        assertEquals(Set.of(), names(json("acme", "alert", "query", "alertname=ItGlobexOnly")), "tenancy");
        final String simple = run("acme", "alert", "query", "alertname=ItDiskFull");
        assertTrue(simple.contains("Alertname") && simple.contains("Disk full on db2:9100"), simple);
    }

    @Test
    void shouldShowAcknowledgedIncidentsAsSuppressedUnderSilenced() throws Exception {
        final JsonNode suppressed = json("acme", "alert", "query", "--silenced");
        assertEquals(Set.of("ItLatencyHigh/"), names(suppressed), suppressed::toString);
        assertEquals("suppressed", suppressed.at("/0/status/state").asText());
        final String extended = run("acme", "-o", "extended", "alert", "query", "--silenced", "--active");
        assertTrue(extended.contains("suppressed") && extended.contains("active"), extended);
    }

    @Test
    void shouldShowThisInstanceAsTheClusterAmtoolTalksTo() throws Exception {
        final String shown = run("acme", "-o", "extended", "cluster", "show");
        assertTrue(shown.contains("Cluster Status:") && shown.contains("ready"), shown);
        assertTrue(shown.contains("127.0.0.1:" + port), shown);
        final JsonNode status = json("acme", "cluster", "show");
        assertEquals("ready", status.get("status").asText(), status::toString);
    }

    @Test
    void shouldRefuseATokenOfNoTenant() throws Exception {
        Files.writeString(dir.resolve("nobody-http.yml"), """
                authorization:
                  type: Bearer
                  credentials: not-a-token
                """);
        final Result result = exec("nobody", "alert", "query");
        assertTrue(result.exit() != 0, "amtool must fail: " + result);
        assertTrue(result.stderr().contains("401") || result.stderr().contains("Unauthorized"), result.toString());
    }

    @Test
    void shouldAddQueryAndExpireASilenceThatMutesTheIncidentMeanwhile() throws Exception {
        final ApiClient acme = app.api().as("acme");
        final String id = run(
                        "acme",
                        "silence",
                        "add",
                        "alertname=ItDiskFull",
                        "instance=~db2.*",
                        "--duration=1h",
                        "--author=ops",
                        "--comment=replacing the disk")
                .strip();
        assertTrue(id.matches("[0-9a-f-]{36}"), "amtool prints the new id: " + id);
        // answered once this instance holds it: the very next read sees the incident silenced
        final JsonNode db2 = incident(acme, "db2:9100");
        assertTrue(db2.get("silenced").asBoolean(), db2::toString);
        assertEquals(id, db2.at("/silencedBy/0").asText());
        assertFalse(incident(acme, "db1:9100").get("silenced").asBoolean(), "db1 does not match");
        assertEquals(
                Set.of("ItDiskFull/db1:9100"),
                names(acme.json("/incidents?alertTemplateId=ItDiskFull&silenced=false")
                        .get("data")),
                "silenced=false hides it");
        final JsonNode suppressed = json("acme", "alert", "query", "--silenced", "instance=db2:9100");
        assertEquals("suppressed", suppressed.at("/0/status/state").asText(), suppressed::toString);
        assertEquals(id, suppressed.at("/0/status/silencedBy/0").asText());
        assertEquals(
                Set.of("ItDiskFull/db1:9100"),
                names(json("acme", "alert", "query", "alertname=ItDiskFull")),
                "amtool leaves silenced alerts out by default");

        final JsonNode listed = json("acme", "silence", "query", "alertname=ItDiskFull");
        assertEquals(1, listed.size(), listed::toString);
        assertEquals(id, listed.at("/0/id").asText());
        assertEquals("active", listed.at("/0/status/state").asText());
        assertEquals("replacing the disk", listed.at("/0/comment").asText());
        assertEquals(0, json("globex", "silence", "query").size(), "another tenant sees none");
        assertTrue(exec("globex", "silence", "expire", id).exit() != 0, "nor can it expire it");

        run("acme", "silence", "expire", id);
        assertFalse(incident(acme, "db2:9100").get("silenced").asBoolean(), "expired: no longer silenced");
        assertEquals(0, json("acme", "silence", "query").size(), "amtool lists active silences only by default");
        final JsonNode expired = json("acme", "silence", "query", "--expired");
        assertEquals("expired", expired.at("/0/status/state").asText(), expired::toString);
    }

    private static JsonNode incident(final ApiClient api, final String instance) throws Exception {
        final JsonNode data = api.json("/incidents?alertTemplateId=ItDiskFull").get("data");
        for (JsonNode i : data) {
            if (i.at("/labels/instance").asText().equals(instance)) {
                return i;
            }
        }
        throw new AssertionError("no incident of " + instance + " in " + data);
    }

    private static Map<String, Object> postable(final Map<String, String> labels) {
        return Map.of(
                "labels",
                labels,
                "annotations",
                Map.of("summary", "Disk full on " + labels.getOrDefault("instance", "?")),
                "generatorURL",
                "http://prometheus.example.org/graph");
    }

    private static Set<String> names(final JsonNode alerts) {
        final Set<String> names = new TreeSet<>();
        alerts.forEach(a -> names.add(a.at("/labels/alertname").asText() + "/"
                + a.at("/labels/instance").asText()));
        return names;
    }

    private static JsonNode find(final JsonNode alerts, final String instance) {
        for (JsonNode a : alerts) {
            if (a.at("/labels/instance").asText().equals(instance)) {
                return a;
            }
        }
        throw new AssertionError("no alert of " + instance + " in " + alerts);
    }

    /** amtool's {@code -o json} output of a command, which must succeed. */
    private static JsonNode json(final String tenant, final String... args) throws Exception {
        final List<String> all = new ArrayList<>(List.of("-o", "json"));
        all.addAll(List.of(args));
        return Json.mapper().readTree(run(tenant, all.toArray(String[]::new)));
    }

    /** What amtool printed on stdout for a command, which must succeed. */
    private static String run(final String tenant, final String... args) throws Exception {
        final Result result = exec(tenant, args);
        assertEquals(0, result.exit(), result::toString);
        return result.stdout();
    }

    record Result(List<String> command, int exit, String stdout, String stderr) {}

    private static Result exec(final String tenant, final String... args) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>(List.of(
                amtool,
                "--alertmanager.url=http://127.0.0.1:" + port,
                "--http.config.file=" + dir.resolve(tenant + "-http.yml"),
                "--timeout=20s"));
        command.addAll(List.of(args));
        final Path out = Files.createTempFile(dir, "amtool", ".out");
        final Path err = Files.createTempFile(dir, "amtool", ".err");
        final Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new AssertionError("amtool did not finish: " + command);
        }
        return new Result(
                command,
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
