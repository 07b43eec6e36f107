package io.incidentstream.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.errors.BadRequestException;
import io.incidentstream.model.Incident;
import io.incidentstream.model.MemberAlert;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Source;
import io.incidentstream.model.Status;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Alertmanager view of the open incidents: flags, matchers, mapping and the bound, over a paging fake. */
class AlertmanagerReadsTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    /** Pages of {@code pageSize} over a fixed list, recording every query. */
    private static final class PagingQueries implements IncidentQueries {
        final List<Incident> all;
        final List<ListQuery> asked = new ArrayList<>();

        PagingQueries(final List<Incident> all) {
            this.all = all;
        }

        private IncidentPage listAll(final ListQuery q) {
            asked.add(q);
            final List<Incident> matching = all.stream().filter(q::matches).toList();
            final int from = q.nextToken() == null ? 0 : Integer.parseInt(q.nextToken());
            final int to = Math.min(matching.size(), from + q.limit());
            return new IncidentPage(
                    matching.subList(from, to), to < matching.size() ? Integer.toString(to) : null, null);
        }

        /** As the real list, pages leave out timelines and members; a get has them. */
        @Override
        public IncidentPage list(final ListQuery q) {
            final IncidentPage page = listAll(q);
            return new IncidentPage(
                    page.data().stream().map(Incident::withoutTimeline).toList(), page.nextToken(), null);
        }

        @Override
        public Incident get(final String tenant, final String id) {
            return all.stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
        }
    }

    private static Incident incident(final int n, final Status status, final Map<String, String> labels) {
        return new Incident.Builder()
                .id("incident.0." + n)
                .tenantId("acme")
                .alertId(n == 0 ? "1a30ba71cca2921f" : "alert-" + n)
                .alertVersion(1)
                .alertTemplateId("Template" + n)
                .status(status)
                .severity(Severity.HIGH)
                .title("Title " + n)
                .source(Source.AUTOMATED)
                .createdAt(NOW.minusSeconds(600 + n))
                .updatedAt(NOW.minusSeconds(60))
                .lastCheckedAt(NOW.minusSeconds(60))
                .validUntil(NOW.plusSeconds(240))
                .labels(labels)
                .build();
    }

    private static AlertmanagerReads reads(final IncidentQueries queries, final int max) {
        return new AlertmanagerReads(
                queries,
                AlertmanagerStatusSource.standalone(NOW, AlertmanagerStatusSource.versionInfo()),
                Clock.fixed(NOW, ZoneOffset.UTC),
                max);
    }

    private static AlertmanagerFilter filter(final String... pairs) {
        final Map<String, List<String>> params = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            params.computeIfAbsent(pairs[i], k -> new ArrayList<>()).add(pairs[i + 1]);
        }
        return AlertmanagerFilter.forAlerts("acme", params);
    }

    private static final List<Incident> THREE = List.of(
            incident(0, Status.ACTIVE, Map.of("alertname", "DiskFull", "instance", "db1")),
            incident(1, Status.ACKNOWLEDGED, Map.of("alertname", "DiskFull", "instance", "db2")),
            incident(2, Status.ACTIVE, Map.of()));

    private static Set<String> names(final AlertmanagerShapes.Bounded<AlertmanagerShapes.Alert> answer) {
        final Set<String> out = new java.util.TreeSet<>();
        answer.items()
                .forEach(a ->
                        out.add(a.labels().get("alertname") + "/" + a.labels().getOrDefault("instance", "")));
        return out;
    }

    @Test
    void shouldMapAnOpenIncidentOntoAnAlertmanagerAlert() {
        final AlertmanagerShapes.Alert alert = reads(new PagingQueries(THREE), 10)
                .alerts(filter("filter", "instance=db1"))
                .items()
                .get(0);
        assertEquals("1a30ba71cca2921f", alert.fingerprint(), "an alertId that is a fingerprint stays one");
        assertEquals("Title 0", alert.annotations().get("summary"));
        assertEquals(NOW.minusSeconds(600), alert.startsAt());
        assertEquals(NOW.plusSeconds(240), alert.endsAt());
        assertEquals("active", alert.status().state());
        assertEquals(List.of(new AlertmanagerShapes.Receiver("incident-stream")), alert.receivers());
        final AlertmanagerShapes.Alert unlabelled = reads(new PagingQueries(THREE), 10)
                .alerts(filter("filter", "alertname=Template2"))
                .items()
                .get(0);
        assertTrue(unlabelled.fingerprint().matches("[0-9a-f]{16}"), unlabelled.fingerprint());
    }

    @Test
    void shouldExcludeByFlagsAsAlertmanagerDoes() {
        final AlertmanagerReads reads = reads(new PagingQueries(THREE), 10);
        assertEquals(Set.of("DiskFull/db1", "DiskFull/db2", "Template2/"), names(reads.alerts(filter())));
        assertEquals(
                Set.of("DiskFull/db1", "DiskFull/db2", "Template2/"),
                names(reads.alerts(filter("silenced", "false", "inhibited", "false"))),
                "no silence nor inhibition suppresses an acknowledged incident");
        assertEquals(Set.of("DiskFull/db2"), names(reads.alerts(filter("active", "false"))));
        assertEquals(
                Set.of("DiskFull/db1", "DiskFull/db2"),
                names(reads.alerts(filter("filter", "alertname=DiskFull", "filter", "instance=~db."))));
        assertEquals(Set.of(), names(reads.alerts(filter("receiver", "pagerduty"))));
        assertEquals(3, reads.alerts(filter("receiver", "incident-.*")).items().size());
    }

    @Test
    void shouldAskOnlyForAcknowledgedIncidentsWhenActiveOnesAreExcluded() {
        final PagingQueries queries = new PagingQueries(THREE);
        reads(queries, 10).alerts(filter("active", "false"));
        assertEquals(EnumSet.of(Status.ACKNOWLEDGED), queries.asked.get(0).statuses());
        assertEquals("acme", queries.asked.get(0).tenant());
    }

    @Test
    void shouldLeaveOutAnIncidentWhoseValidityHasPassed() {
        final Incident stale = incident(3, Status.ACTIVE, Map.of("alertname", "Stale")).toBuilder()
                .validUntil(NOW.minusSeconds(1))
                .build();
        assertEquals(
                Set.of(), names(reads(new PagingQueries(List.of(stale)), 10).alerts(filter())));
    }

    @Test
    void shouldStopAtTheMaximumAndSaySo() {
        final List<Incident> many = new ArrayList<>();
        for (int n = 1; n <= 450; n++) {
            many.add(incident(n, Status.ACTIVE, Map.of("alertname", n % 2 == 0 ? "Even" : "Odd")));
        }
        final PagingQueries queries = new PagingQueries(many);
        final AlertmanagerShapes.Bounded<AlertmanagerShapes.Alert> capped =
                reads(queries, 150).alerts(filter());
        assertEquals(150, capped.items().size());
        assertTrue(capped.truncated());
        assertEquals(2, queries.asked.size(), "paged internally, no page more than needed");
        queries.asked.forEach(q -> assertEquals(ListQuery.MAX_LIMIT, q.limit()));

        final AlertmanagerShapes.Bounded<AlertmanagerShapes.Alert> all =
                reads(new PagingQueries(many), 1000).alerts(filter("filter", "alertname=Even"));
        assertEquals(225, all.items().size());
        assertFalse(all.truncated());

        final PagingQueries scanned = new PagingQueries(many);
        final AlertmanagerShapes.Bounded<AlertmanagerShapes.Alert> none =
                reads(scanned, 10).alerts(filter("filter", "alertname=Nothing"));
        assertTrue(none.truncated(), "read 10 × 10 incidents, then stopped");
        assertEquals(1, scanned.asked.size());
    }

    @Test
    void shouldRefuseUnknownAndMalformedParameters() {
        for (String[] bad : List.of(
                new String[] {"stauts", "x"},
                new String[] {"active", "maybe"},
                new String[] {"filter", "DiskFull"},
                new String[] {"filter", "a=~("},
                new String[] {"receiver", "("},
                new String[] {"muted", "true"})) {
            assertThrows(BadRequestException.class, () -> filter(bad), String.join("=", bad));
        }
        assertThrows(BadRequestException.class, () -> filter("active", "true", "active", "false"));
        final String[] tooMany = new String[2 * (AlertmanagerFilter.MAX_MATCHERS + 1)];
        for (int i = 0; i < tooMany.length; i += 2) {
            tooMany[i] = "filter";
            tooMany[i + 1] = "a=" + i;
        }
        assertThrows(BadRequestException.class, () -> filter(tooMany));
    }

    @Test
    void shouldGroupEachIncidentAlone() {
        final var groups = reads(new PagingQueries(THREE), 10)
                .groups(AlertmanagerFilter.forGroups("acme", Map.of("muted", List.of("false"))));
        assertEquals(3, groups.items().size());
        groups.items().forEach(g -> {
            assertEquals(1, g.alerts().size());
            assertEquals(g.alerts().get(0).labels(), g.labels());
        });
    }

    private static MemberAlert member(final String id, final MemberAlert.State state, final String instance) {
        return new MemberAlert(
                id,
                state,
                Severity.HIGH,
                Map.of("alertname", "DiskFull", "instance", instance),
                NOW.minusSeconds(300),
                NOW.minusSeconds(30),
                NOW.plusSeconds(120),
                "by-alertname");
    }

    private static Incident grouped(
            final String ruleId, final Map<String, String> groupLabels, final MemberAlert... m) {
        return incident(7, Status.ACTIVE, Map.of()).toBuilder()
                .alertId(null)
                .groupKey("acme|" + ruleId + "|DiskFull")
                .groupLabels(groupLabels)
                .ruleId(ruleId)
                .memberCount((long) m.length)
                .alerts(List.of(m))
                .build();
    }

    @Test
    void shouldShowAGroupedIncidentAsItsFiringMembersInOneGroup() {
        final Incident incident = grouped(
                "by-alertname",
                Map.of("alertname", "DiskFull"),
                member("aaaaaaaaaaaaaaa1", MemberAlert.State.FIRING, "db1"),
                member("aaaaaaaaaaaaaaa2", MemberAlert.State.RESOLVED, "db2"),
                member("aaaaaaaaaaaaaaa3", MemberAlert.State.FIRING, "db3"));
        final var alerts = reads(new PagingQueries(List.of(incident)), 10).alerts(filter());
        assertEquals(
                List.of("aaaaaaaaaaaaaaa1", "aaaaaaaaaaaaaaa3"),
                alerts.items().stream()
                        .map(AlertmanagerShapes.Alert::fingerprint)
                        .toList(),
                "the firing members, each its own alert; the resolved one is not shown");
        final AlertmanagerShapes.Alert db3 = alerts.items().get(1);
        assertEquals(Map.of("alertname", "DiskFull", "instance", "db3"), db3.labels());
        assertEquals(NOW.minusSeconds(300), db3.startsAt());
        assertEquals(NOW.plusSeconds(120), db3.endsAt());
        assertEquals("Title 7", db3.annotations().get("summary"));

        final var groups =
                reads(new PagingQueries(List.of(incident)), 10).groups(AlertmanagerFilter.forGroups("acme", Map.of()));
        assertEquals(1, groups.items().size());
        assertEquals(Map.of("alertname", "DiskFull"), groups.items().get(0).labels());
        assertEquals(2, groups.items().get(0).alerts().size());

        final var filtered = reads(new PagingQueries(List.of(incident)), 10)
                .groups(AlertmanagerFilter.forGroups("acme", Map.of("filter", List.of("instance=db3"))));
        assertEquals(1, filtered.items().get(0).alerts().size(), "a matcher picks members, not incidents");
    }

    @Test
    void shouldLabelAnAlertmanagerGroupWithTheLabelsOfItsGroupKey() {
        final Incident incident = grouped(
                "alertmanager",
                Map.of(
                        "alertmanagerGroupKey",
                        "{}/{team=\"a:{b}\"}:{alertname=\"DiskFull\", instance=\"db \\\"1\\\"\"}"),
                member("aaaaaaaaaaaaaaa1", MemberAlert.State.FIRING, "db1"));
        final var groups =
                reads(new PagingQueries(List.of(incident)), 10).groups(AlertmanagerFilter.forGroups("acme", Map.of()));
        assertEquals(
                Map.of("alertname", "DiskFull", "instance", "db \"1\""),
                groups.items().get(0).labels(),
                "the label set Alertmanager grouped by, not the route's matchers before it");
        assertEquals(Map.of(), IncidentAlerts.labelSet("{}:{}"));
    }

    @Test
    void shouldShowAGroupedIncidentWithNoFiringMemberAsItself() {
        final Incident incident = grouped(
                "by-alertname",
                Map.of("alertname", "DiskFull"),
                member("aaaaaaaaaaaaaaa1", MemberAlert.State.RESOLVED, "db1"));
        final var alerts = reads(new PagingQueries(List.of(incident)), 10).alerts(filter());
        assertEquals(1, alerts.items().size(), "an open incident is never invisible");
        assertEquals("Template7", alerts.items().get(0).labels().get("alertname"));
    }

    @Test
    void shouldCutAGroupedIncidentAtTheMaximumAndSaySo() {
        final Incident incident = grouped(
                "by-alertname",
                Map.of("alertname", "DiskFull"),
                member("aaaaaaaaaaaaaaa1", MemberAlert.State.FIRING, "db1"),
                member("aaaaaaaaaaaaaaa2", MemberAlert.State.FIRING, "db2"));
        final var alerts = reads(new PagingQueries(List.of(incident)), 1).alerts(filter());
        assertEquals(1, alerts.items().size());
        assertTrue(alerts.truncated());
    }
}
