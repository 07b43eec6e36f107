package io.incidentstream.topology;

import static io.incidentstream.topology.TopologyFixture.at;
import static io.incidentstream.topology.TopologyFixture.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentEvent;
import io.incidentstream.model.Status;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IncidentTopologyTest {
    private final TopologyFixture f = new TopologyFixture();

    @AfterEach
    void close() {
        f.close();
    }

    private List<String> eventTypes() {
        return f.events.readValuesToList().stream().map(IncidentEvent::type).toList();
    }

    private void assertNoOutput() {
        assertTrue(f.incidents.isEmpty(), "no incidents record expected");
        assertTrue(f.events.isEmpty(), "no incident-events record expected");
    }

    @Test
    void shouldOpenIncidentAndWriteStateAndOpenedEvent() {
        f.firing("cpu", 0);
        final KeyValue<String, Incident> state = f.incidents.readKeyValue();
        assertEquals(state.key, state.value.id());
        assertEquals(Status.ACTIVE, state.value.status());
        assertEquals(at(0), state.value.createdAt());
        assertEquals(at(0).plus(TopologyFixture.TTL), state.value.validUntil());
        final TestRecord<String, IncidentEvent> event = f.events.readRecord();
        assertEquals(state.key, event.key());
        assertEquals("opened", event.value().type());
        assertNull(event.value().from());
        assertEquals(Status.ACTIVE, event.value().to());
        assertNoOutput();
        assertEquals(state.value, f.incidentStore().get(state.key));
        assertEquals(state.key, f.byAlertStore().get("acme/cpu"));
        assertEquals(1.0, f.counter("alerts.consumed", "outcome", "opened"));
    }

    @Test
    void shouldFoldFiringIntoOpenIncidentWithStateButNoTransition() {
        f.firing("cpu", 0);
        f.firing("cpu", 60);
        final List<Incident> states = f.incidents.readValuesToList();
        assertEquals(2, states.size());
        assertEquals(states.get(0).id(), states.get(1).id());
        assertEquals(2, states.get(1).alertCount());
        assertEquals(at(60), states.get(1).lastCheckedAt());
        assertEquals(at(60).plus(TopologyFixture.TTL), states.get(1).validUntil());
        assertEquals(
                states.get(0).updatedAt(),
                states.get(1).updatedAt(),
                "a re-fire confirms the incident, it does not update it");
        assertEquals(List.of("opened"), eventTypes());
        assertEquals(states.get(1), f.latest("cpu"));
    }

    @Test
    void shouldMoveUpdatedAtWhenARefireChangesTheSeverity() {
        f.firing("cpu", 0);
        f.sendJson(
                "acme/cpu",
                "{\"tenantId\":\"acme\",\"alertId\":\"cpu\",\"status\":\"FIRING\",\"severity\":\"critical\","
                        + "\"checkedAt\":\"" + at(30) + "\"}");
        assertEquals(at(30), f.latest("cpu").updatedAt());
    }

    @Test
    void shouldResolveOpenIncident() {
        f.firing("cpu", 0);
        f.resolved("cpu", 30);
        final List<Incident> states = f.incidents.readValuesToList();
        assertEquals(Status.RESOLVED, states.get(1).status());
        assertEquals(at(30), states.get(1).resolvedAt());
        final List<IncidentEvent> events = f.events.readValuesToList();
        assertEquals("resolved", events.get(1).type());
        assertEquals(Status.ACTIVE, events.get(1).from());
        assertEquals(Status.RESOLVED, events.get(1).to());
        assertEquals(Status.RESOLVED, f.latest("cpu").status());
        f.advance(TopologyFixture.TTL.plusMinutes(1));
        assertNoOutput();
        assertTrue(TopologyFixture.all(f.expiryStore()).isEmpty(), "the sweep drops the resolved incident's entry");
    }

    @Test
    void shouldIgnoreResolvedWithoutIncident() {
        f.resolved("cpu", 0);
        assertNoOutput();
        assertTrue(TopologyFixture.all(f.incidentStore()).isEmpty());
        assertEquals(1.0, f.counter("alerts.consumed", "outcome", "ignored-not-open"));
    }

    @Test
    void shouldExpireIncidentWhenValidUntilPasses() {
        f.send("acme", "cpu", "FIRING", at(0), at(30));
        f.incidents.readValuesToList();
        f.events.readValuesToList();
        f.advance(Duration.ofSeconds(20));
        assertNoOutput();
        f.advance(Duration.ofSeconds(20));
        final Incident expired = f.incidents.readValue();
        assertEquals(Status.EXPIRED, expired.status());
        assertEquals(at(30), expired.updatedAt());
        final IncidentEvent event = f.events.readValue();
        assertEquals("expired", event.type());
        assertEquals(Status.EXPIRED, event.to());
        assertEquals(expired.withoutTimeline(), event.incident(), "the event carries the incident as it became");
        assertEquals(Status.EXPIRED, f.latest("cpu").status());
        assertTrue(TopologyFixture.all(f.expiryStore()).isEmpty());
        f.advance(Duration.ofMinutes(5));
        assertNoOutput();
        assertEquals(1.0, f.counter("incidents.expired"));
    }

    @Test
    void shouldPostponeExpiryWhenFiringExtendsValidUntil() {
        f.send("acme", "cpu", "FIRING", at(0), at(30));
        f.send("acme", "cpu", "FIRING", at(20), at(120));
        f.incidents.readValuesToList();
        f.events.readValuesToList();
        f.advance(Duration.ofSeconds(60));
        assertNoOutput();
        assertEquals(Status.ACTIVE, f.latest("cpu").status());
        assertEquals(1, TopologyFixture.all(f.expiryStore()).size());
        f.advance(Duration.ofSeconds(61));
        assertEquals(List.of("expired"), eventTypes());
    }

    @Test
    void shouldNotExpireResolvedIncident() {
        f.send("acme", "cpu", "FIRING", at(0), at(30));
        f.resolved("cpu", 10);
        f.incidents.readValuesToList();
        f.events.readValuesToList();
        f.advance(Duration.ofMinutes(2));
        assertNoOutput();
        assertEquals(Status.RESOLVED, f.latest("cpu").status());
    }

    @Test
    void shouldExpireExactlyTheTenDueAmongTenThousandOpenIncidents() {
        final Set<String> due = new HashSet<>();
        for (int n = 0; n < 10_000; n++) {
            final boolean isDue = n % 1_000 == 7;
            f.send("acme", "a" + n, "FIRING", at(0), isDue ? at(30) : null);
            if (isDue) {
                due.add("acme/a" + n);
            }
        }
        assertEquals(10_000, f.events.getQueueSize());
        f.events.readValuesToList();
        f.incidents.readValuesToList();
        f.advance(Duration.ofSeconds(31));
        final List<IncidentEvent> expired = f.events.readValuesToList();
        assertEquals(10, expired.size());
        final Set<String> expiredKeys = new HashSet<>();
        for (IncidentEvent e : expired) {
            assertEquals("expired", e.type());
            expiredKeys.add(e.tenantId() + "/" + e.alertId());
        }
        assertEquals(due, expiredKeys);
        assertEquals(10, f.incidents.getQueueSize());
        assertEquals(10.0, f.counter("incidents.expired"));
        long active = 0;
        for (KeyValue<String, Incident> kv : TopologyFixture.all(f.incidentStore())) {
            final boolean isDue = due.contains(kv.value.alertKey().asString());
            assertEquals(isDue ? Status.EXPIRED : Status.ACTIVE, kv.value.status(), kv.key);
            active += isDue ? 0 : 1;
        }
        assertEquals(9_990, active);
        assertEquals(9_990, TopologyFixture.all(f.expiryStore()).size());
    }

    @Test
    void shouldIgnoreOutOfOrderAndDuplicateEvents() {
        f.firing("cpu", 60);
        final Incident before = f.incidents.readValue();
        f.events.readValuesToList();
        f.firing("cpu", 30);
        f.resolved("cpu", 59);
        f.firing("cpu", 60);
        assertNoOutput();
        assertEquals(before, f.latest("cpu"));
        assertEquals(2.0, f.counter("alerts.consumed", "outcome", "ignored-out-of-order"));
        assertEquals(1.0, f.counter("alerts.consumed", "outcome", "ignored-duplicate"));
    }

    @Test
    void shouldReopenSameIncidentWhenRefiringWithinFlapWindowAfterResolve() {
        f.firing("cpu", 0);
        f.resolved("cpu", 30);
        f.firing("cpu", 30 + TopologyFixture.FLAP.toSeconds());
        final List<IncidentEvent> events = f.events.readValuesToList();
        assertEquals(
                List.of("opened", "resolved", "reopened"),
                events.stream().map(IncidentEvent::type).toList());
        assertEquals(
                1, events.stream().map(IncidentEvent::incidentId).distinct().count());
        assertEquals(Status.RESOLVED, events.get(2).from());
        final List<Incident> states = f.incidents.readValuesToList();
        assertEquals(3, states.size());
        final Incident reopened = states.get(2);
        assertEquals(states.get(0).id(), reopened.id());
        assertEquals(Status.ACTIVE, reopened.status());
        assertNull(reopened.resolvedAt());
        assertEquals(1, TopologyFixture.all(f.incidentStore()).size());
    }

    @Test
    void shouldReopenSameIncidentWhenRefiringWithinFlapWindowAfterExpiry() {
        f.send("acme", "cpu", "FIRING", at(0), at(30));
        f.advance(Duration.ofSeconds(40));
        f.firing("cpu", 60);
        assertEquals(List.of("opened", "expired", "reopened"), eventTypes());
        final Incident reopened = f.latest("cpu");
        assertEquals(Status.ACTIVE, reopened.status());
        assertEquals(2, reopened.alertCount());
        assertEquals(1, TopologyFixture.all(f.incidentStore()).size());
    }

    @Test
    void shouldOpenNewIncidentWhenRefiringAfterFlapWindow() {
        f.firing("cpu", 0);
        f.resolved("cpu", 30);
        final String first = f.latest("cpu").id();
        f.firing("cpu", 31 + TopologyFixture.FLAP.toSeconds());
        final List<IncidentEvent> events = f.events.readValuesToList();
        assertEquals(
                List.of("opened", "resolved", "opened"),
                events.stream().map(IncidentEvent::type).toList());
        final String second = events.get(2).incidentId();
        assertNotEquals(first, second);
        assertEquals(second, f.byAlertStore().get("acme/cpu"));
        assertEquals(Status.RESOLVED, f.incidentStore().get(first).status());
        assertEquals(Status.ACTIVE, f.incidentStore().get(second).status());
        assertEquals(1, f.incidentStore().get(second).alertCount());
    }

    @Test
    void shouldRekeyRecordsWithoutOrWithWrongKeyIntoTheSameIncident() {
        f.sendWithKey(null, "acme", "cpu", "FIRING", at(0), null);
        f.firing("cpu", 10);
        f.sendWithKey(utf8("cpu"), "acme", "cpu", "FIRING", at(20), null);
        f.sendWithKey(utf8("acme/other"), "acme", "cpu", "FIRING", at(30), null);
        f.sendWithKey(ByteBuffer.allocate(8).putLong(42).array(), "acme", "cpu", "RESOLVED", at(40), null);
        final List<KeyValue<String, Incident>> states = f.incidents.readKeyValuesToList();
        assertEquals(5, states.size());
        assertEquals(1, states.stream().map(kv -> kv.key).distinct().count());
        final Incident last = states.get(4).value;
        assertEquals(4, last.alertCount());
        assertEquals(Status.RESOLVED, last.status());
        assertEquals(List.of("opened", "resolved"), eventTypes());
        assertEquals(1, TopologyFixture.all(f.incidentStore()).size());
        assertEquals(last, f.latest("cpu"));
        assertTrue(f.dlq.isEmpty());
    }

    @Test
    void shouldKeepTenantsWithTheSameAlertIdApart() {
        f.send("acme", "cpu", "FIRING", at(0), null);
        f.send("globex", "cpu", "FIRING", at(0), null);
        f.send("globex", "cpu", "RESOLVED", at(5), null);
        assertEquals(2, TopologyFixture.all(f.incidentStore()).size());
        assertEquals(Status.ACTIVE, f.latest("cpu").status());
        assertEquals(
                Status.RESOLVED,
                f.incidentStore().get(f.byAlertStore().get("globex/cpu")).status());
    }
}
