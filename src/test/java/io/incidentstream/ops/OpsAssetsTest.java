package io.incidentstream.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus rules and the Grafana dashboard under {@code ops/}: promtool accepts the rules,
 * their unit tests and the sample config, every dashboard query is valid PromQL, and both cover
 * what an operator needs. That they only name metrics the app exposes is checked against a live
 * scrape in {@code ObservabilityIT}.
 */
class OpsAssetsTest {

    /** Runs promtool; skips only where it is not installed (outside CI, which installs it), and says so. */
    private static String promtool(final String... args) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        final Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(
                        "promtool is missing in CI: .ci/run should have installed Debian's prometheus package", e);
            }
            Assumptions.abort("promtool not installed (apt-get install prometheus ships it); skipping " + command);
            throw e;
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish in 60 s");
        }
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), command + " failed:\n" + output);
        return output;
    }

    @Test
    void shouldPassPromtoolCheckRules() throws Exception {
        assertTrue(promtool("check", "rules", OpsAssets.RULES.toString()).contains("SUCCESS"));
    }

    @Test
    void shouldPassTheRulesUnitTests() throws Exception {
        promtool("test", "rules", OpsAssets.RULE_TESTS.toString());
    }

    @Test
    void shouldPassPromtoolCheckConfig() throws Exception {
        promtool("check", "config", OpsAssets.PROMETHEUS_CONFIG.toString());
    }

    /** docker-compose.yml's Prometheus: same job name, both instances, the same rules file. */
    @Test
    void shouldPassPromtoolCheckConfigOfTheComposePrometheus() throws Exception {
        promtool("check", "config", OpsAssets.PROMETHEUS_COMPOSE_CONFIG.toString());
    }

    /** promtool has no PromQL checker of its own, so each query becomes a recording rule of a throw-away file. */
    @Test
    void shouldHaveOnlyValidPromQlInTheDashboard(@TempDir final Path dir) throws Exception {
        final StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int n = 0;
        for (String expr : OpsAssets.dashboardExpressions()) {
            final String concrete =
                    expr.replace("$__rate_interval", "5m").replace("$job", ".*").replace("$instance", ".*");
            rules.append("      - record: dashboard:query_")
                    .append(n++)
                    .append("\n        expr: '")
                    .append(concrete.replace("'", "''"))
                    .append("'\n");
        }
        final Path file = dir.resolve("dashboard-queries.yml");
        Files.writeString(file, rules);
        assertTrue(promtool("check", "rules", file.toString()).contains("SUCCESS: " + n + " rules found"));
    }

    @Test
    void shouldShowWhatAnOperatorNeedsOnTheDashboard() {
        final JsonNode dashboard = OpsAssets.dashboard();
        assertEquals("incident-stream", dashboard.path("uid").asText());
        final Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : OpsAssets.panels()) {
            assertTrue(ids.add(panel.path("id").asInt()), "duplicate panel id " + panel.path("id"));
            if (!panel.path("type").asText().equals("row")) {
                assertEquals(
                        "${datasource}",
                        panel.path("datasource").path("uid").asText(),
                        panel.path("title").asText());
                assertFalse(panel.path("targets").isEmpty(), panel.path("title").asText() + " has no query");
                panel.path("targets")
                        .forEach(t -> assertFalse(
                                t.path("expr").asText().isBlank(),
                                panel.path("title").asText()));
            }
        }
        final Set<String> used = OpsAssets.referencedMetrics();
        for (String needed : List.of(
                "alerts_consumed_total",
                "kafka_consumer_fetch_manager_records_lag",
                "incidents_open",
                "alerts_dlq_total",
                "http_server_requests_seconds_bucket")) {
            assertTrue(
                    OpsAssets.dashboardExpressions().stream()
                            .anyMatch(e -> OpsAssets.metricNames(e).contains(needed)),
                    "no panel shows " + needed + "; used: " + used);
        }
    }

    @Test
    void shouldAlertOnWhatBreaksTheServiceWithActionableAnnotations() {
        final Set<String> alerts = new HashSet<>();
        OpsAssets.rules()
                .path("groups")
                .forEach(g -> g.path("rules").forEach(r -> {
                    final String name = r.path("alert").asText();
                    alerts.add(name);
                    assertTrue(
                            Set.of("critical", "warning")
                                    .contains(r.path("labels").path("severity").asText()),
                            name);
                    assertFalse(r.path("annotations").path("summary").asText().isBlank(), name);
                    assertFalse(
                            r.path("annotations").path("description").asText().isBlank(), name);
                }));
        assertTrue(
                alerts.containsAll(Set.of(
                        "IncidentStreamDown",
                        "IncidentStreamNotReady",
                        "IncidentStreamNoAlertsFlowing",
                        "IncidentStreamConsumerLagGrowing",
                        "IncidentStreamDeadLetters")),
                alerts.toString());
    }

    @Test
    void shouldFindMetricNamesInPromQl() {
        assertEquals(
                Set.of("alerts_dlq_total", "alerts_consumed_total"),
                OpsAssets.metricNames(
                        "sum by (job, reason) (rate(alerts_dlq_total{job=\"x\", reason=~\"a|b\"}[5m])) / on (job) group_left "
                                + "sum(rate(alerts_consumed_total[$__rate_interval] offset 1h)) > 0.01 and bool 1e3"));
        assertEquals(Set.of("up"), OpsAssets.metricNames("up{job=\"incident-stream\"} == 0"));
        assertEquals(
                Set.of("a_bucket"),
                OpsAssets.metricNames("histogram_quantile(0.99, sum by (le) (rate(a_bucket[10m])))"));
    }
}
