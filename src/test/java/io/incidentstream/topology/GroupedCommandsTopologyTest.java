package io.incidentstream.topology;

import static io.incidentstream.topology.TopologyFixture.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.incidentstream.model.Incident;
import io.incidentstream.model.MemberAlert;
import io.incidentstream.model.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A person's acknowledge and resolve, as the API sends them (commands on {@code incident-commands}),
 * on a grouped incident: they apply to the whole incident; an acknowledged incident still takes new
 * members of its group, a resolved one does not, and a member firing after the person resolved opens
 * a new incident (outside the flap window).
 */
class GroupedCommandsTopologyTest {
    private static final String RULE = "{\"id\":\"host\",\"groupBy\":[\"host\"],\"window\":\"PT30M\"}";

    private final CommandFixture c = new CommandFixture();

    @AfterEach
    void close() {
        c.close();
    }

    private void fire(final String alertId, final long seconds) {
        c.f.sendJson(
                "acme/" + alertId,
                TopologyFixture.alert("acme", alertId, "FIRING", at(seconds), at(seconds + 3600), Map.of("host", "h")));
    }

    private Map<String, Incident> incidents() {
        final Map<String, Incident> out = new LinkedHashMap<>();
        c.f.incidents.readValuesToList().forEach(i -> out.put(i.id(), i));
        return out;
    }

    @Test
    void shouldApplyAPersonsAcknowledgeAndResolveToTheGroupedIncident() {
        c.f.rule("acme", "host", RULE);
        fire("a", 0);
        fire("b", 10);
        final String id = incidents().keySet().iterator().next();
        c.send(CommandFixture.status("ack", id, 20, Status.ACKNOWLEDGED, "looking"));
        assertEquals(Status.ACKNOWLEDGED, c.f.incidentStore().get(id).status());

        fire("c", 30); // an acknowledged incident still takes its group's new members
        final Incident acknowledged = c.f.incidentStore().get(id);
        assertEquals(Status.ACKNOWLEDGED, acknowledged.status(), "a join does not undo the acknowledge");
        assertEquals(3L, acknowledged.memberCount());

        c.send(CommandFixture.status("resolve", id, 40, Status.RESOLVED, "fixed the disk"));
        final Incident resolved = c.f.incidentStore().get(id);
        assertEquals(Status.RESOLVED, resolved.status());
        assertEquals(at(40), resolved.resolvedAt());
        assertEquals(
                List.of("a", "b", "c"),
                resolved.alerts().stream().map(MemberAlert::alertId).toList(),
                "the members stay listed");

        incidents();
        fire("a", 40 + 601); // after the 10 min flap window: a new incident, the resolved one untouched
        final List<Incident> after = List.copyOf(incidents().values());
        assertEquals(1, after.size());
        final Incident fresh = after.get(0);
        assertNotEquals(id, fresh.id());
        assertEquals(Status.ACTIVE, fresh.status());
        assertEquals(
                List.of("a"), fresh.alerts().stream().map(MemberAlert::alertId).toList());
        assertEquals(Status.RESOLVED, c.f.incidentStore().get(id).status());
        fire("b", 40 + 602);
        assertEquals(2L, c.f.incidentStore().get(fresh.id()).memberCount(), "b joins the new incident, not the old");
    }
}
