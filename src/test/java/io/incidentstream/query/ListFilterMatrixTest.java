package io.incidentstream.query;

import static io.incidentstream.query.ClusterFixture.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.model.Incident;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every combination of the list filters, each index family they pick ({@link IndexPlan}) and both
 * orders, against the incidents filtered one by one: the first page holds exactly the first matches
 * and {@code includeCount} is the exact number of all matches, whether it comes from the kept counts
 * or from a walk.
 */
class ListFilterMatrixTest {
    private static final List<String> STATUSES = List.of("", "status=ACTIVE", "status=RESOLVED,EXPIRED");
    private static final List<String> SEVERITIES = List.of("", "severity=high", "severity=low,critical");
    private static final List<String> SOURCES = List.of("", "source=manual", "source=automated");
    private static final List<String> ALERTS = List.of("", "alertId=alert-17", "alertId=alert-18", "alertId=none");
    private static final List<String> TEMPLATES = List.of("", "alertTemplateId=template-3", "alertTemplateId=none");
    private static final List<String> CREATED = List.of(
            "",
            "createdAfter=2026-03-01T00:00:10Z",
            "createdBefore=2026-03-01T00:00:30Z",
            "createdAfter=2026-03-01T00:00:10Z&createdBefore=2026-03-01T00:00:20Z");
    private static final List<String> ORDERS = List.of("", "sort=updatedAt&order=asc");

    private final ClusterFixture cluster = new ClusterFixture(3).fill(300, 11);
    private final LocalIncidentQueries all = cluster.instance(Set.of(0, 1, 2));

    @AfterEach
    void close() {
        cluster.close();
    }

    private static List<String> combinations() {
        List<String> out = List.of("limit=100&includeCount=true");
        for (List<String> dimension : List.of(STATUSES, SEVERITIES, SOURCES, ALERTS, TEMPLATES, CREATED, ORDERS)) {
            final List<String> next = new ArrayList<>();
            for (String prefix : out) {
                for (String value : dimension) {
                    next.add(value.isEmpty() ? prefix : prefix + "&" + value);
                }
            }
            out = next;
        }
        return out;
    }

    @Test
    void shouldListAndCountExactlyTheMatchesOfEveryFilterCombination() {
        int nonEmpty = 0;
        for (String params : combinations()) {
            final ListQuery q = query(params);
            final List<Incident> expected = cluster.expected(q);
            final LocalPage page = all.page(q);
            assertEquals(expected.subList(0, Math.min(expected.size(), q.limit() + 1)), page.data(), params);
            assertEquals(expected.size(), page.count(), params);
            assertEquals(true, page.countExact(), params);
            nonEmpty += expected.isEmpty() ? 0 : 1;
        }
        assertTrue(nonEmpty > 200, "the fixture should match many combinations: " + nonEmpty);
    }
}
