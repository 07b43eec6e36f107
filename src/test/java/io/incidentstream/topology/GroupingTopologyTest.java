package io.incidentstream.topology;

import static io.incidentstream.topology.TopologyFixture.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.model.Bounds;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentEvent;
import io.incidentstream.model.MemberAlert;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Status;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Grouping rules in the topology: each rule field, rule changes at runtime, member bounds. */
class GroupingTopologyTest {
    private final TopologyFixture f = new TopologyFixture();

    @AfterEach
    void close() {
        f.close();
    }

    private static final String HOST_RULE =
            "{\"id\":\"host\",\"match\":{\"labels\":{\"env\":\"prod\"}},\"groupBy\":[\"host\"],"
                    + "\"window\":\"PT10M\",\"maxAge\":\"PT1H\",\"title\":\"{{host}}: {{memberCount}} alerts\"}";

    private void fire(final String alertId, final long seconds, final Map<String, String> labels) {
        send(alertId, "FIRING", seconds, labels, "high");
    }

    private void send(
            final String alertId,
            final String status,
            final long seconds,
            final Map<String, String> labels,
            final String severity) {
        final String json = TopologyFixture.alert("acme", alertId, status, at(seconds), null, labels)
                .replace("\"title\"", "\"severity\":\"" + severity + "\",\"title\"");
        f.sendJson("acme/" + alertId, json);
    }

    private static Map<String, String> prod(final String host) {
        return Map.of("env", "prod", "host", host);
    }

    /** The latest state of every incident written, by id, in first-written order. */
    private Map<String, Incident> incidents() {
        final Map<String, Incident> out = new LinkedHashMap<>();
        f.incidents.readValuesToList().forEach(i -> out.put(i.id(), i));
        return out;
    }

    private List<String> eventTypes() {
        return f.events.readValuesToList().stream().map(IncidentEvent::type).toList();
    }

    @Test
    void shouldFoldAlertsOfOneHostIntoOneIncidentWithMembers() {
        f.rule("acme", "host", HOST_RULE);
        fire("disk", 0, prod("db-1"));
        fire("latency", 10, prod("db-1"));
        fire("replication", 20, prod("db-1"));
        fire("cpu", 30, prod("db-2"));
        final Map<String, Incident> all = incidents();
        assertEquals(2, all.size());
        final Incident db1 = all.values().iterator().next();
        assertEquals("acme/host/{host=\"db-1\"}", db1.groupKey());
        assertEquals(Map.of("host", "db-1"), db1.groupLabels());
        assertEquals("host", db1.ruleId());
        assertEquals(3L, db1.memberCount());
        assertEquals(
                List.of("disk", "latency", "replication"),
                db1.alerts().stream().map(MemberAlert::alertId).toList());
        assertEquals("db-1: 3 alerts", db1.title());
        assertEquals(Map.of("env", "prod", "host", "db-1"), db1.labels(), "the labels every member shares");
        assertEquals("host", db1.alerts().get(0).joinedBy());
        assertEquals(List.of("opened", "joined", "joined", "opened"), eventTypes());
    }

    @Test
    void shouldLeaveAlertsNoRuleTakesAsTheyWere() {
        f.rule("acme", "host", HOST_RULE);
        fire("disk", 0, Map.of("env", "staging", "host", "db-1"));
        fire("cpu", 10, Map.of("env", "staging", "host", "db-1"));
        final Map<String, Incident> all = incidents();
        assertEquals(2, all.size());
        all.values().forEach(i -> {
            assertNull(i.groupKey());
            assertNull(i.alerts());
            assertNull(i.memberCount());
        });
        assertTrue(f.latest("disk") != null, "folded under its alert key as before");
    }

    @Test
    void shouldOpenANewIncidentWhenTheWindowSinceTheLastJoinHasPassed() {
        f.rule("acme", "host", HOST_RULE);
        fire("a", 0, prod("h"));
        fire("b", 600, prod("h")); // exactly the window after the last join: joins
        fire("c", 1201, prod("h")); // a second after the window since b: a new incident
        final List<Incident> all = List.copyOf(incidents().values());
        assertEquals(2, all.size());
        assertEquals(2L, all.get(0).memberCount());
        assertEquals(1L, all.get(1).memberCount());
        assertEquals("c", all.get(1).alerts().get(0).alertId());
    }

    @Test
    void shouldNeverJoinAnIncidentOlderThanMaxAge() {
        f.rule(
                "acme",
                "r",
                "{\"id\":\"r\",\"groupBy\":[\"host\"],\"window\":\"PT10M\",\"maxAge\":\"PT15M\",\"title\":\"x\"}");
        Map<String, String> h = Map.of("host", "h");
        fire("a", 0, h);
        fire("b", 500, h);
        fire("c", 900, h); // 15 min after it opened: still joins
        fire("d", 901, h); // older than maxAge now
        final List<Incident> all = List.copyOf(incidents().values());
        assertEquals(2, all.size());
        assertEquals(3L, all.get(0).memberCount());
        assertEquals("d", all.get(1).alertId());
    }

    @Test
    void shouldHoldAlertsUntilMinAlertsMatchedWithinTheWindowThenOpenWithAll() {
        f.rule("acme", "three", "{\"id\":\"three\",\"groupBy\":[\"service\"],\"window\":\"PT5M\",\"minAlerts\":3}");
        final Map<String, String> s = Map.of("service", "checkout");
        fire("a", 0, s);
        fire("b", 100, s);
        fire("a", 150, s); // the same alert again: still two distinct
        assertTrue(f.incidents.isEmpty(), "held, not opened");
        fire("c", 400, s); // a (last seen 150) and b (100) are within 5 minutes of 400
        final List<Incident> all = List.copyOf(incidents().values());
        assertEquals(1, all.size());
        assertEquals(3L, all.get(0).memberCount());
        assertEquals(
                List.of("b", "a", "c"),
                all.get(0).alerts().stream().map(MemberAlert::alertId).toList());
        assertEquals(at(0), all.get(0).alerts().get(1).firstSeen(), "a held alert keeps when it was first seen");
        assertEquals(3.0, f.counter("alerts.consumed", "outcome", "held"));
    }

    @Test
    void shouldForgetHeldAlertsOlderThanTheWindow() {
        f.rule("acme", "three", "{\"id\":\"three\",\"window\":\"PT5M\",\"minAlerts\":2}");
        fire("a", 0, Map.of());
        fire("b", 301, Map.of()); // a was seen more than the window before
        assertTrue(f.incidents.isEmpty());
        fire("c", 302, Map.of());
        final Incident opened = incidents().values().iterator().next();
        assertEquals(
                List.of("b", "c"),
                opened.alerts().stream().map(MemberAlert::alertId).toList());
    }

    @Test
    void shouldResolveWhenAllMembersResolvedByDefault() {
        f.rule("acme", "host", HOST_RULE);
        fire("a", 0, prod("h"));
        fire("b", 10, prod("h"));
        send("a", "RESOLVED", 20, prod("h"), "high");
        Incident i = f.incidentStore().get(incidents().keySet().iterator().next());
        assertEquals(Status.ACTIVE, i.status());
        assertEquals(MemberAlert.State.RESOLVED, i.alerts().get(0).status());
        send("b", "RESOLVED", 30, prod("h"), "high");
        i = f.incidentStore().get(i.id());
        assertEquals(Status.RESOLVED, i.status());
        assertEquals(at(30), i.resolvedAt());
        assertEquals(List.of("opened", "joined", "member-resolved", "resolved"), eventTypes());
    }

    @Test
    void shouldResolveOnTheFirstMemberResolvedWithResolveWhenFirst() {
        f.rule("acme", "r", "{\"id\":\"r\",\"resolveWhen\":\"first\"}");
        fire("a", 0, Map.of());
        fire("b", 10, Map.of());
        send("b", "RESOLVED", 20, Map.of(), "high");
        final Incident i = f.incidentStore().get(incidents().keySet().iterator().next());
        assertEquals(Status.RESOLVED, i.status());
    }

    @Test
    void shouldStayOpenWhenEveryMemberResolvedWithResolveWhenNever() {
        f.rule("acme", "r", "{\"id\":\"r\",\"resolveWhen\":\"never\"}");
        fire("a", 0, Map.of());
        send("a", "RESOLVED", 20, Map.of(), "high");
        final Incident i = f.incidentStore().get(incidents().keySet().iterator().next());
        assertEquals(Status.ACTIVE, i.status());
        assertEquals(MemberAlert.State.RESOLVED, i.alerts().get(0).status());
    }

    @Test
    void shouldTakeTheHighestSeverityOfTheFiringMembers() {
        f.rule("acme", "r", "{\"id\":\"r\"}");
        send("a", "FIRING", 0, Map.of(), "low");
        send("b", "FIRING", 10, Map.of(), "critical");
        final String id = incidents().keySet().iterator().next();
        assertEquals(Severity.CRITICAL, f.incidentStore().get(id).severity());
        send("b", "RESOLVED", 20, Map.of(), "critical");
        assertEquals(Severity.LOW, f.incidentStore().get(id).severity(), "only open members count");
    }

    @Test
    void shouldExpireEachMemberOnItsOwnValidUntilAndTheIncidentWhenAllHave() {
        f.rule("acme", "r", "{\"id\":\"r\"}");
        fire("a", 0, Map.of()); // validUntil 5 min (the TTL)
        fire("b", 120, Map.of()); // validUntil 7 min
        final String id = incidents().keySet().iterator().next();
        assertEquals(at(420), f.incidentStore().get(id).validUntil(), "the latest of the firing members");
        f.advance(Duration.ofSeconds(301));
        Incident i = f.incidentStore().get(id);
        assertEquals(Status.ACTIVE, i.status());
        assertEquals(MemberAlert.State.EXPIRED, i.alerts().get(0).status());
        assertEquals(MemberAlert.State.FIRING, i.alerts().get(1).status());
        f.advance(Duration.ofMinutes(2));
        i = f.incidentStore().get(id);
        assertEquals(Status.EXPIRED, i.status());
        assertEquals(List.of("opened", "joined", "member-expired", "member-expired", "expired"), eventTypes());
    }

    @Test
    void shouldMatchLabelsByAnchoredRegexAndSeverityList() {
        f.rule(
                "acme",
                "db",
                "{\"id\":\"db\",\"match\":{\"labels\":{\"service\":\"~db-.*\"},\"severity\":[\"critical\",\"high\"]}}");
        fire("a", 0, Map.of("service", "db-main"));
        fire("b", 1, Map.of("service", "db-replica"));
        fire("c", 2, Map.of("service", "my-db-x")); // anchored: no match
        send("d", "FIRING", 3, Map.of("service", "db-main"), "low"); // severity not listed
        final List<Incident> all = List.copyOf(incidents().values());
        assertEquals(3, all.size());
        assertEquals(2L, all.get(0).memberCount());
        assertNull(all.get(1).groupKey());
        assertNull(all.get(2).groupKey());
    }

    @Test
    void shouldGroupAlertsMissingAGroupByLabelUnderTheEmptyValue() {
        f.rule("acme", "r", "{\"id\":\"r\",\"groupBy\":[\"host\",\"alertTemplateId\"]}");
        fire("a", 0, Map.of());
        fire("b", 1, Map.of("other", "x"));
        final List<Incident> all = List.copyOf(incidents().values());
        assertEquals(2, all.size(), "alertTemplateId defaults to the alert id, so a and b differ");
        assertEquals(Map.of("host", "", "alertTemplateId", "a"), all.get(0).groupLabels());
    }

    @Test
    void shouldUseTheFirstMatchingRuleByPosition() {
        f.rule("acme", "b-wide", "{\"id\":\"b-wide\",\"position\":2}");
        f.rule("acme", "a-narrow", "{\"id\":\"a-narrow\",\"position\":5,\"match\":{\"labels\":{\"team\":\"x\"}}}");
        f.rule("acme", "c-first", "{\"id\":\"c-first\",\"position\":1,\"match\":{\"labels\":{\"team\":\"y\"}}}");
        fire("a", 0, Map.of("team", "x"));
        fire("b", 1, Map.of("team", "y"));
        final List<Incident> all = List.copyOf(incidents().values());
        assertEquals("b-wide", all.get(0).ruleId());
        assertEquals("c-first", all.get(1).ruleId());
    }

    @Test
    void shouldApplyRuleChangesToAlertsAfterTheChangeOnly() {
        fire("a", 0, prod("h"));
        f.rule("acme", "host", HOST_RULE);
        fire("b", 10, prod("h"));
        fire("c", 20, prod("h"));
        f.rule("acme", "host", null);
        fire("d", 30, prod("h"));
        fire("c", 40, prod("h")); // no rule any more: c is folded alone, its group incident stays
        final List<Incident> all = List.copyOf(incidents().values());
        assertEquals(4, all.size());
        assertNull(all.get(0).groupKey());
        assertEquals(2L, all.get(1).memberCount());
        assertNull(all.get(2).groupKey());
        assertEquals("d", all.get(2).alertId());
        assertEquals("c", all.get(3).alertId());
        assertNull(all.get(3).groupKey());
        assertEquals(2L, f.incidentStore().get(all.get(1).id()).memberCount(), "the group incident keeps its key");
    }

    @Test
    void shouldOpenANewIncidentWhenAMemberFiresAfterAPersonResolvedOutsideTheFlapWindow() {
        f.rule("acme", "r", "{\"id\":\"r\"}");
        fire("a", 0, Map.of());
        final String id = incidents().keySet().iterator().next();
        final Incident resolved = f.incidentStore().get(id).toBuilder()
                .status(Status.RESOLVED)
                .resolvedAt(at(10))
                .updatedAt(at(10))
                .build();
        f.incidentStore().put(id, resolved); // as a person's resolve leaves it (CommandTopologyTest covers the command)
        fire("a", 60, Map.of()); // within the 10 min flap window: reopens
        assertEquals(Status.ACTIVE, f.incidentStore().get(id).status());
        f.incidentStore()
                .put(
                        id,
                        f.incidentStore().get(id).toBuilder()
                                .status(Status.RESOLVED)
                                .resolvedAt(at(70))
                                .updatedAt(at(70))
                                .build());
        fire("a", 70 + 601, Map.of());
        final List<String> ids = List.copyOf(incidents().keySet());
        assertEquals(2, ids.size());
        assertNotEquals(id, ids.get(1));
    }

    @Test
    void shouldListAtMostTheMemberBoundAndCountTheRest() {
        f.rule("acme", "r", "{\"id\":\"r\",\"window\":\"P1D\",\"maxAge\":\"P1D\"}");
        final int n = Bounds.MAX_MEMBERS + 5;
        for (int k = 0; k < n; k++) {
            fire("alert-" + k, k, Map.of());
        }
        final Map<String, Incident> all = incidents();
        assertEquals(1, all.size());
        final Incident i = f.incidentStore().get(all.keySet().iterator().next());
        assertEquals(n, i.memberCount());
        assertEquals(Bounds.MAX_MEMBERS, i.alerts().size());
        fire("alert-" + (n - 1), n + 10, Map.of()); // a counted member re-checks: folded, not a new member
        assertEquals(n, f.incidentStore().get(i.id()).memberCount());
    }

    @Test
    void shouldKeepTheGroupedIncidentInTheListIndexLikeAnyOther() {
        f.rule("acme", "r", "{\"id\":\"r\"}");
        fire("a", 0, Map.of());
        fire("b", 1, Map.of());
        final Incident i = f.incidentStore().get(incidents().keySet().iterator().next());
        final Map<String, Boolean> present = new HashMap<>();
        final var entries = f.indexEntries().stream().map(kv -> kv.key).toList();
        for (var key : f.indexKeysOf(i)) {
            present.put(key.toString(), entries.contains(key));
        }
        assertTrue(present.values().stream().allMatch(b -> b), "every index key of the incident is stored");
        assertEquals(f.indexKeysOf(i).size(), entries.size(), "and nothing else");
    }
}
