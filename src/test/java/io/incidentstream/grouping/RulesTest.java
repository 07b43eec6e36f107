package io.incidentstream.grouping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.errors.BadRequestException;
import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.AlertStatus;
import io.incidentstream.model.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RulesTest {
    private static GroupingRule rule(
            final Map<String, String> labels, final List<String> groupBy, final String window, final Integer min) {
        return new GroupingRule(
                "r", null, new GroupingRule.Match(labels, null, null, null), groupBy, window, null, null, min, null);
    }

    private static AlertEvent alert(final String id, final Map<String, String> labels) {
        final Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new AlertEvent(
                id,
                1,
                null,
                "acme",
                AlertStatus.FIRING,
                Severity.HIGH,
                null,
                null,
                now,
                now.plusSeconds(60),
                null,
                labels,
                null);
    }

    private static String refusal(final GroupingRule r) {
        return assertThrows(BadRequestException.class, () -> Rules.compile(r)).getMessage();
    }

    @Test
    void shouldFillTheDefaults() {
        final Rule r = Rules.compile(rule(null, null, null, null));
        assertEquals(Duration.ofMinutes(15), r.window());
        assertEquals(Duration.ofHours(24), r.maxAge());
        assertEquals(ResolveWhen.ALL, r.resolveWhen());
        assertEquals(1, r.minAlerts());
        assertEquals("all", r.definition().resolveWhen());
    }

    @Test
    void shouldNameTheFieldAtFault() {
        assertTrue(refusal(rule(null, null, "15m", null)).startsWith("window:"));
        assertTrue(refusal(rule(null, null, "PT0S", null)).startsWith("window:"));
        assertTrue(refusal(rule(null, null, null, 0)).startsWith("minAlerts:"));
        assertTrue(refusal(rule(Map.of("env", "~(unclosed"), null, null, null)).startsWith("match.labels.env:"));
        assertTrue(refusal(rule(Map.of("bad name", "x"), null, null, null)).startsWith("match.labels:"));
        assertTrue(refusal(rule(null, List.of("host", "host"), null, null)).startsWith("groupBy:"));
        assertTrue(refusal(new GroupingRule("has space", null, null, null, null, null, null, null, null))
                .startsWith("id:"));
        assertTrue(refusal(new GroupingRule("r", null, null, null, null, null, "sometimes", null, null))
                .startsWith("resolveWhen:"));
        assertTrue(refusal(new GroupingRule("r", null, null, List.of("host"), null, null, null, null, "{{service}}"))
                .startsWith("title:"));
        assertTrue(refusal(new GroupingRule(
                        "r",
                        null,
                        new GroupingRule.Match(null, List.of("urgent"), null, null),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null))
                .startsWith("match.severity:"));
    }

    @Test
    void shouldMatchExactAndAnchoredRegexValues() {
        final Rule r = Rules.compile(rule(Map.of("env", "prod", "service", "~db-.*"), null, null, null));
        assertTrue(r.matches(alert("a", Map.of("env", "prod", "service", "db-main"))));
        assertFalse(r.matches(alert("a", Map.of("env", "prod", "service", "my-db-main"))), "anchored");
        assertFalse(r.matches(alert("a", Map.of("env", "production", "service", "db-main"))));
        assertFalse(r.matches(alert("a", Map.of("service", "db-main"))), "a missing label is empty");
    }

    @Test
    void shouldKeyGroupsUnambiguouslyWithMissingLabelsEmpty() {
        final Rule r = Rules.compile(rule(null, List.of("host", "alertId"), null, null));
        final AlertEvent e = alert("x", Map.of("other", "1"));
        assertEquals(Map.of("host", "", "alertId", "x"), r.groupLabels(e));
        assertEquals("acme/r/{host=\"\",alertId=\"x\"}", r.groupKey("acme", r.groupLabels(e)));
        final AlertEvent quoted = alert("y", Map.of("host", "a\",alertId=\"x"));
        assertFalse(r.groupKey("acme", r.groupLabels(quoted)).equals(r.groupKey("acme", r.groupLabels(e))));
    }

    @Test
    void shouldRenderTheTitleTemplate() {
        final Rule r = Rules.compile(new GroupingRule(
                "r", null, null, List.of("host"), null, null, null, null, "{{host}}: {{ memberCount }}"));
        assertEquals("db-1: 7", r.title(Map.of("host", "db-1"), 7));
    }
}
