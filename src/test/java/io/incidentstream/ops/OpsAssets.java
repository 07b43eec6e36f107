package io.incidentstream.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.incidentstream.codec.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operations assets under {@code ops/} as tests see them: the Grafana dashboard, the alerting
 * rules, the PromQL expressions in both, and the metric names those expressions refer to.
 */
public final class OpsAssets {
    public static final Path DASHBOARD = Path.of("ops", "grafana", "incident-stream.json");
    public static final Path RULES = Path.of("ops", "prometheus", "rules.yml");
    public static final Path RULE_TESTS = Path.of("ops", "prometheus", "rules.test.yml");
    public static final Path PROMETHEUS_CONFIG = Path.of("ops", "prometheus", "prometheus.yml");
    /** The Prometheus configuration docker-compose.yml mounts (scrapes both instances). */
    public static final Path PROMETHEUS_COMPOSE_CONFIG = Path.of("ops", "prometheus", "prometheus-compose.yml");
    /** Series Prometheus makes itself rather than scraping them from the app. */
    public static final Set<String> PROMETHEUS_OWN = Set.of("up");

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");
    private static final Set<String> KEYWORDS = Set.of(
            "and",
            "or",
            "unless",
            "bool",
            "offset",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "inf",
            "nan",
            "atan2");

    private OpsAssets() {}

    public static JsonNode dashboard() {
        try {
            return Json.mapper().readTree(DASHBOARD.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode rules() {
        try {
            return new YAMLMapper().readTree(RULES.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every panel, rows' nested panels included. */
    public static List<JsonNode> panels() {
        final List<JsonNode> out = new ArrayList<>();
        dashboard().path("panels").forEach(p -> {
            out.add(p);
            p.path("panels").forEach(out::add);
        });
        return out;
    }

    /** The PromQL of every panel target. */
    public static List<String> dashboardExpressions() {
        final List<String> out = new ArrayList<>();
        panels().forEach(p ->
                p.path("targets").forEach(t -> out.add(t.path("expr").asText())));
        return out;
    }

    public static List<String> ruleExpressions() {
        final List<String> out = new ArrayList<>();
        rules().path("groups")
                .forEach(
                        g -> g.path("rules").forEach(r -> out.add(r.path("expr").asText())));
        return out;
    }

    /** Metric names referred to anywhere: panel targets, template variable queries, rules. */
    public static Set<String> referencedMetrics() {
        final Set<String> names = new TreeSet<>();
        dashboardExpressions().forEach(e -> names.addAll(metricNames(e)));
        ruleExpressions().forEach(e -> names.addAll(metricNames(e)));
        dashboard().path("templating").path("list").forEach(v -> {
            final Matcher m = LABEL_VALUES.matcher(v.path("definition").asText());
            if (m.find()) {
                names.add(m.group(1));
            }
        });
        return names;
    }

    /**
     * The metric names of a PromQL expression: identifiers left once label matchers, ranges,
     * grouping clauses, strings and Grafana variables are removed, that are not functions
     * (followed by a parenthesis) or keywords.
     */
    public static Set<String> metricNames(final String promql) {
        String s = STRING.matcher(promql).replaceAll("\"\"");
        s = s.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^\\]]*]", " ");
        s = GROUPING.matcher(s).replaceAll(" ");
        s = s.replaceAll("\\$\\{[^}]*}|\\$\\w+", " ");
        final Set<String> names = new TreeSet<>();
        final Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            final String rest = s.substring(m.end()).stripLeading();
            final boolean afterDigit = m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1));
            if (!rest.startsWith("(") && !KEYWORDS.contains(m.group()) && !afterDigit) {
                names.add(m.group());
            }
        }
        return names;
    }
}
