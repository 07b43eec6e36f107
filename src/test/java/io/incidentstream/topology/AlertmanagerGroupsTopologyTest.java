package io.incidentstream.topology;

import static io.incidentstream.topology.TopologyFixture.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.incidentstream.model.Incident;
import io.incidentstream.model.MemberAlert;
import io.incidentstream.model.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code ALERTMANAGER_GROUPS}: the alerts of one Alertmanager webhook group are one incident, before
 * any rule; off, or for alerts that did not come in a webhook group, nothing changes.
 */
class AlertmanagerGroupsTopologyTest {
    private static final String GROUP = "{}/{severity=\\\"critical\\\"}:{cluster=\\\"eu-1\\\"}";

    /** An alert as the Alertmanager adapter writes it for a webhook notification of the group. */
    private static String viaWebhook(
            final String alertId, final String status, final long seconds, final String group) {
        return "{\"tenantId\":\"acme\",\"alertId\":\"" + alertId + "\",\"status\":\"" + status + "\",\"checkedAt\":\""
                + at(seconds) + "\",\"labels\":{\"alertname\":\"" + alertId + "\",\"cluster\":\"eu-1\"},"
                + "\"reportData\":{\"receivedVia\":\"alertmanager-webhook\",\"receiver\":\"incident-stream\""
                + (group == null ? "" : ",\"groupKey\":\"" + group + "\"") + "}}";
    }

    private static Map<String, Incident> incidents(final TopologyFixture f) {
        final Map<String, Incident> out = new LinkedHashMap<>();
        f.incidents.readValuesToList().forEach(i -> out.put(i.id(), i));
        return out;
    }

    @Test
    void shouldMakeOneIncidentOfOneAlertmanagerGroup() {
        try (TopologyFixture f = new TopologyFixture(Map.of("ALERTMANAGER_GROUPS", "true"))) {
            // a tenant rule that would otherwise take them one by one: the upstream group comes first
            f.rule("acme", "each", "{\"id\":\"each\",\"groupBy\":[\"alertId\"]}");
            f.sendJson("acme/a", viaWebhook("a", "FIRING", 0, GROUP));
            f.sendJson("acme/b", viaWebhook("b", "FIRING", 1, GROUP));
            f.sendJson("acme/c", viaWebhook("c", "FIRING", 2, "{}:{cluster=\\\"us-1\\\"}"));
            f.sendJson("acme/a", viaWebhook("a", "RESOLVED", 30, GROUP));
            final List<Incident> all = List.copyOf(incidents(f).values());
            assertEquals(2, all.size(), "one incident per Alertmanager group");
            final Incident eu = all.get(0);
            assertEquals("alertmanager", eu.ruleId());
            assertEquals(Map.of("alertmanagerGroupKey", GROUP.replace("\\", "")), eu.groupLabels());
            assertEquals(
                    List.of("a", "b"),
                    eu.alerts().stream().map(MemberAlert::alertId).toList());
            assertEquals(MemberAlert.State.RESOLVED, eu.alerts().get(0).status());
            assertEquals(Status.ACTIVE, eu.status(), "b still fires");
            f.sendJson("acme/b", viaWebhook("b", "RESOLVED", 40, GROUP));
            assertEquals(Status.RESOLVED, f.incidents.readValuesToList().get(0).status(), "every member resolved");
        }
    }

    @Test
    void shouldChangeNothingWhenOffOrWithoutAGroup() {
        try (TopologyFixture f = new TopologyFixture()) {
            f.sendJson("acme/a", viaWebhook("a", "FIRING", 0, GROUP));
            f.sendJson("acme/b", viaWebhook("b", "FIRING", 1, GROUP));
            final List<Incident> all = List.copyOf(incidents(f).values());
            assertEquals(2, all.size(), "off: one incident per alert");
            assertNull(all.get(0).groupKey());
        }
        try (TopologyFixture f = new TopologyFixture(Map.of("ALERTMANAGER_GROUPS", "true"))) {
            f.sendJson("acme/a", viaWebhook("a", "FIRING", 0, null));
            f.sendJson("acme/b", viaWebhook("b", "FIRING", 1, null));
            assertEquals(2, incidents(f).size(), "no groupKey (the API v2 path): one incident per alert");
        }
    }
}
