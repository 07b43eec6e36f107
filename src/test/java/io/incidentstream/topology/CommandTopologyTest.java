package io.incidentstream.topology;

import static io.incidentstream.topology.CommandFixture.delete;
import static io.incidentstream.topology.CommandFixture.status;
import static io.incidentstream.topology.CommandFixture.update;
import static io.incidentstream.topology.TopologyFixture.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.model.CommandFingerprint;
import io.incidentstream.model.CommandResult;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentCommand;
import io.incidentstream.model.IncidentEvent;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Source;
import io.incidentstream.model.Status;
import io.incidentstream.store.IndexKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** API commands on {@code incident-commands}, applied by the incident processor end to end. */
class CommandTopologyTest {
    private final CommandFixture c = new CommandFixture();
    private final TopologyFixture f = c.f;

    @AfterEach
    void close() {
        c.close();
    }

    /** An api event of a manual incident (whose alertId is its id). */
    private static IncidentEvent event(
            final String id,
            final String type,
            final long seconds,
            final Status from,
            final Status to,
            final String note) {
        return new IncidentEvent(id, "acme", id, type, at(seconds), from, to, "api", "alice", note);
    }

    private void assertIndexed(final Incident i, final boolean present) {
        final Set<Bytes> keys = f.indexKeysOf(i);
        assertEquals(
                IndexKeys.ENTRIES_PER_INCIDENT
                        + 2
                                * (int) i.labels().keySet().stream()
                                        .filter(Set.of("service", "team", "env", "host")::contains)
                                        .count(),
                keys.size(),
                "two entries per order, and two per order for each label in the default INDEXED_LABELS");
        for (Bytes key : keys) {
            assertEquals(present, f.indexStore().get(key) != null, i.id() + " index entry");
        }
    }

    private boolean inExpiryIndex(final String id) {
        return TopologyFixture.all(f.expiryStore()).stream()
                .anyMatch(
                        kv -> new String(kv.key.get(), 8, kv.key.get().length - 8, StandardCharsets.UTF_8).equals(id));
    }

    @Test
    void shouldCreateManualIncidentWritingStateCreatedEventAndResult() {
        c.send(CommandFixture.create("c1", 0, null));
        final KeyValue<String, Incident> state = f.incidents.readKeyValue();
        final Incident i = state.value;
        assertEquals(i.id(), state.key);
        assertEquals(Status.ACTIVE, i.status());
        assertEquals(Source.MANUAL, i.source());
        assertEquals("manual", i.alertTemplateId());
        assertEquals(Severity.HIGH, i.severity());
        assertEquals("bob", i.assignee());
        assertNull(i.validUntil());
        assertEquals(i, c.stored(i.id()));
        assertEquals(
                new IncidentEvent(
                        i.id(), "acme", i.id(), "created", at(0), null, Status.ACTIVE, "api", "alice", "by hand"),
                f.events.readValue().withoutIncident());
        assertTrue(c.noOutput());
        assertEquals(
                new CommandResult(
                        "c1",
                        i.id(),
                        201,
                        "created",
                        at(0),
                        CommandFingerprint.of(CommandFixture.create("c1", 0, null))),
                c.result("c1"));
        assertIndexed(i, true);
        assertFalse(inExpiryIndex(i.id()), "a manual incident never expires");
        assertTrue(TopologyFixture.all(f.byAlertStore()).isEmpty(), "a manual incident has no alert mapping");
    }

    @Test
    void shouldCreateAcknowledgedIncidentWhenAsked() {
        final String id = c.created("c1", Status.ACKNOWLEDGED);
        assertEquals(Status.ACKNOWLEDGED, c.stored(id).status());
        assertEquals(at(0), c.stored(id).acknowledgedAt());
    }

    @Test
    void shouldRecord400WithoutOutputWhenCreatingClosedIncident() {
        c.send(CommandFixture.create("c1", 0, Status.RESOLVED));
        c.send(CommandFixture.create("c2", 0, Status.EXPIRED));
        assertTrue(c.noOutput());
        assertEquals(400, c.result("c1").status());
        assertEquals(400, c.result("c2").status());
        assertTrue(TopologyFixture.all(f.incidentStore()).isEmpty());
        assertTrue(TopologyFixture.all(f.indexStore()).isEmpty());
    }

    @Test
    void shouldAcknowledgeResolveAndReopenWithUpdatedEvents() {
        final String id = c.created("c1", null);
        final Map<String, IncidentCommand> sent = Map.of(
                "c2", status("c2", id, 10, Status.ACKNOWLEDGED, "mine"),
                "c3", status("c3", id, 20, Status.RESOLVED, null),
                "c4", status("c4", id, 30, Status.ACTIVE, "back"));
        List.of("c2", "c3", "c4").forEach(cmd -> c.send(sent.get(cmd)));
        assertEquals(
                List.of(
                        event(id, "updated", 10, Status.ACTIVE, Status.ACKNOWLEDGED, "mine"),
                        event(id, "updated", 20, Status.ACKNOWLEDGED, Status.RESOLVED, null),
                        event(id, "updated", 30, Status.RESOLVED, Status.ACTIVE, "back")),
                c.events());
        final List<KeyValue<String, Incident>> states = f.incidents.readKeyValuesToList();
        assertEquals(3, states.size());
        assertEquals(at(10), states.get(0).value.acknowledgedAt());
        assertEquals(at(20), states.get(1).value.resolvedAt());
        final Incident reopened = states.get(2).value;
        assertEquals(id, states.get(2).key);
        assertEquals(Status.ACTIVE, reopened.status());
        assertNull(reopened.resolvedAt());
        assertNull(reopened.acknowledgedAt());
        assertEquals(at(30), reopened.updatedAt());
        assertEquals(4, reopened.timeline().size());
        assertEquals(reopened, c.stored(id));
        for (String cmd : List.of("c2", "c3", "c4")) {
            assertEquals(
                    new CommandResult(
                            cmd, id, 200, "updated", sent.get(cmd).at(), CommandFingerprint.of(sent.get(cmd))),
                    c.result(cmd));
        }
        assertIndexed(reopened, true);
        assertEquals(
                f.indexKeysOf(reopened).size(),
                f.indexEntries().size(),
                "old status entries were moved, not left behind");
    }

    @Test
    void shouldRecordRefusalsWithoutChangingAnything() {
        final String id = c.created("c1", null);
        c.send(status("c2", id, 10, Status.EXPIRED, null));
        c.send(status("c3", id, 20, Status.RESOLVED, null));
        c.drain();
        final Incident resolved = c.stored(id);
        c.send(status("c4", id, 30, Status.ACKNOWLEDGED, null));
        assertTrue(c.noOutput());
        assertEquals(400, c.result("c2").status());
        assertEquals(409, c.result("c4").status());
        assertEquals(id, c.result("c4").incidentId());
        assertEquals(resolved, c.stored(id));
    }

    @Test
    void shouldRecord409WhenResolvingExpiredIncident() {
        f.send("acme", "cpu", "FIRING", at(0), at(30));
        f.advance(Duration.ofSeconds(40));
        c.drain();
        final Incident expired = f.latest("cpu");
        assertEquals(Status.EXPIRED, expired.status());
        c.send(status("c1", expired.id(), 50, Status.RESOLVED, null));
        c.send(status("c2", expired.id(), 50, Status.ACKNOWLEDGED, null));
        assertTrue(c.noOutput());
        assertEquals(409, c.result("c1").status());
        assertEquals(409, c.result("c2").status());
        assertEquals(expired, f.latest("cpu"));
    }

    @Test
    void shouldRecordUnchangedWithoutOutputForSameStatus() {
        final String id = c.created("c1", Status.ACKNOWLEDGED);
        final Incident before = c.stored(id);
        final IncidentCommand same = status("c2", id, 10, Status.ACKNOWLEDGED, null);
        c.send(same);
        assertTrue(c.noOutput());
        assertEquals(
                new CommandResult("c2", id, 200, "unchanged", at(10), CommandFingerprint.of(same)), c.result("c2"));
        assertEquals(before, c.stored(id));
    }

    @Test
    void shouldWriteNoteAsUpdatedEventKeepingStatus() {
        final String id = c.created("c1", null);
        c.send(status("c2", id, 15, null, "rebooted"));
        assertEquals(List.of(event(id, "updated", 15, Status.ACTIVE, Status.ACTIVE, "rebooted")), c.events());
        final Incident i = f.incidents.readValue();
        assertEquals(Status.ACTIVE, i.status());
        assertEquals("rebooted", i.timeline().get(1).note());
        assertEquals("alice", i.timeline().get(1).actor());
    }

    @Test
    void shouldChangeSeverityWritingStateWithoutEventAndMovingIndex() {
        final String id = c.created("c1", null);
        final Incident before = c.stored(id);
        c.send(update("c2", "acme", id, 5, null, Severity.CRITICAL, null));
        final Incident after = f.incidents.readValue();
        assertEquals(Severity.CRITICAL, after.severity());
        assertEquals(at(5), after.updatedAt());
        assertTrue(f.events.isEmpty(), "no transition, no event");
        assertEquals(after, c.stored(id));
        assertIndexed(after, true);
        assertEquals(f.indexKeysOf(after).size(), f.indexEntries().size());
        assertNotEquals(f.indexKeysOf(before), f.indexKeysOf(after));
    }

    @Test
    void shouldRecord404ForUnknownIdAndOtherTenantsIncident() {
        final String id = c.created("c1", null);
        final IncidentCommand unknown = status("c2", "incident.0.zz", 10, Status.RESOLVED, null);
        c.send(unknown);
        c.send(update("c3", "globex", id, 10, Status.RESOLVED, null, null));
        c.send(new IncidentCommand(
                "c4",
                IncidentCommand.Kind.DELETE,
                "globex",
                id,
                "mallory",
                at(10),
                null,
                null,
                null,
                null,
                false,
                null,
                null,
                null));
        assertTrue(c.noOutput());
        assertEquals(
                new CommandResult(
                        "c2",
                        "incident.0.zz",
                        404,
                        "incident incident.0.zz not found",
                        at(10),
                        CommandFingerprint.of(unknown)),
                c.result("c2"));
        assertEquals(404, c.result("c3").status());
        assertEquals(404, c.result("c4").status());
        assertEquals(Status.ACTIVE, c.stored(id).status());
    }

    @Test
    void shouldDeleteManualIncidentWithTombstoneAndDeletedEvent() {
        final String id = c.created("c1", null);
        final Incident before = c.stored(id);
        c.send(delete("c2", id, 20));
        final KeyValue<String, Incident> tombstone = f.incidents.readKeyValue();
        assertEquals(id, tombstone.key);
        assertNull(tombstone.value);
        assertEquals(
                List.of(new IncidentEvent(
                        id, "acme", id, "deleted", at(20), Status.ACTIVE, null, "api", "alice", "deleted")),
                c.events());
        assertEquals(
                new CommandResult("c2", id, 204, "deleted", at(20), CommandFingerprint.of(delete("c2", id, 20))),
                c.result("c2"));
        assertNull(c.stored(id));
        assertIndexed(before, false);
        assertTrue(TopologyFixture.all(f.indexStore()).isEmpty());
        c.send(status("c3", id, 30, Status.RESOLVED, null));
        assertEquals(404, c.result("c3").status());
    }

    @Test
    void shouldDeleteAutomatedIncidentFromEveryStoreAndOpenAFreshOneOnNextFiring() {
        f.firing("disk", 0);
        final Incident doomed = c.automated();
        final Incident kept = f.latest("disk");
        assertTrue(inExpiryIndex(doomed.id()));
        c.send(delete("c1", doomed.id(), 10));
        assertNull(f.incidents.readKeyValue().value);
        assertEquals("deleted", c.events().get(0).type());
        assertNull(c.stored(doomed.id()));
        assertIndexed(doomed, false);
        assertNull(f.byAlertStore().get("acme/cpu"));
        assertIndexed(kept, true);
        assertTrue(inExpiryIndex(kept.id()));
        assertEquals(kept.id(), f.byAlertStore().get("acme/disk"));
        f.firing("cpu", 20);
        final Incident fresh = f.latest("cpu");
        assertNotEquals(doomed.id(), fresh.id());
        assertEquals(1, fresh.alertCount());
        assertEquals(
                List.of("opened"), c.events().stream().map(IncidentEvent::type).toList());
        f.advance(TopologyFixture.TTL.plusMinutes(1));
        final List<IncidentEvent> expired = c.events();
        assertEquals(
                Set.of(kept.id(), fresh.id()),
                expired.stream().map(IncidentEvent::incidentId).collect(Collectors.toSet()));
        assertTrue(expired.stream().allMatch(e -> e.type().equals("expired")));
        assertFalse(inExpiryIndex(doomed.id()), "the sweep drops the deleted incident's lingering entry");
    }

    @Test
    void shouldReopenSameIncidentWhenAlertRefiresWithinFlapWindowAfterPersonResolved() {
        final Incident open = c.automated();
        c.send(status("c1", open.id(), 30, Status.RESOLVED, "looks fine"));
        f.firing("cpu", 30 + TopologyFixture.FLAP.toSeconds());
        final List<IncidentEvent> events = c.events();
        assertEquals(
                List.of("updated", "reopened"),
                events.stream().map(IncidentEvent::type).toList());
        assertEquals(open.id(), events.get(1).incidentId());
        final Incident reopened = f.latest("cpu");
        assertEquals(open.id(), reopened.id());
        assertEquals(Status.ACTIVE, reopened.status());
        assertEquals(2, reopened.alertCount());
        assertTrue(inExpiryIndex(open.id()));
        assertEquals(1, TopologyFixture.all(f.incidentStore()).size());
    }

    @Test
    void shouldOpenNewIncidentWhenAlertRefiresAfterFlapWindowAfterPersonResolved() {
        final Incident open = c.automated();
        c.send(status("c1", open.id(), 30, Status.RESOLVED, null));
        f.firing("cpu", 31 + TopologyFixture.FLAP.toSeconds());
        assertEquals(
                List.of("updated", "opened"),
                c.events().stream().map(IncidentEvent::type).toList());
        final Incident fresh = f.latest("cpu");
        assertNotEquals(open.id(), fresh.id());
        assertEquals(Status.RESOLVED, c.stored(open.id()).status());
        assertEquals(Status.ACTIVE, fresh.status());
    }

    @Test
    void shouldKeepAcknowledgedWhenAlertFiresAgainAndResolveWithAlert() {
        final Incident open = c.automated();
        c.send(status("c1", open.id(), 10, Status.ACKNOWLEDGED, null));
        c.drain();
        f.firing("cpu", 60);
        assertTrue(f.events.isEmpty(), "a fold is no transition");
        final Incident folded = f.incidents.readValue();
        assertEquals(Status.ACKNOWLEDGED, folded.status());
        assertEquals(at(10), folded.acknowledgedAt());
        assertEquals(2, folded.alertCount());
        assertEquals(at(60).plus(TopologyFixture.TTL), folded.validUntil());
        f.resolved("cpu", 90);
        final IncidentEvent resolved = f.events.readValue();
        assertEquals("resolved", resolved.type());
        assertEquals(Status.ACKNOWLEDGED, resolved.from());
        assertEquals(Status.RESOLVED, f.latest("cpu").status());
        assertEquals(at(90), f.latest("cpu").resolvedAt());
    }

    @Test
    void shouldExpireAgainAfterPersonReopensExpiredAutomatedIncident() {
        f.send("acme", "cpu", "FIRING", at(0), at(30));
        f.advance(Duration.ofSeconds(40));
        final String id = f.latest("cpu").id();
        c.drain();
        c.send(status("c1", id, 40, Status.ACTIVE, null));
        assertEquals(at(40).plus(TopologyFixture.TTL), c.stored(id).validUntil());
        assertTrue(inExpiryIndex(id));
        f.advance(Duration.ofSeconds(200));
        assertEquals(Status.ACTIVE, c.stored(id).status());
        f.advance(Duration.ofMinutes(2));
        assertEquals(
                List.of("updated", "expired"),
                c.events().stream().map(IncidentEvent::type).toList());
        assertEquals(Status.EXPIRED, c.stored(id).status());
    }

    @Test
    void shouldNotMoveUpdatedAtBackwardsWhenAlertFoldsAfterCommand() {
        final Incident open = c.automated();
        c.send(status("c1", open.id(), 100, null, "note"));
        f.firing("cpu", 50);
        final Incident folded = f.latest("cpu");
        assertEquals(2, folded.alertCount(), "the check is folded");
        assertEquals(at(50), folded.lastCheckedAt());
        assertEquals(at(100), folded.updatedAt(), "but the later change by a person stays the last update");
    }

    @Test
    void shouldNotReopenOnFiringCheckedBeforeThePersonResolved() {
        final Incident open = c.automated();
        c.send(status("c1", open.id(), 200, Status.RESOLVED, null));
        c.drain();
        final Incident resolved = f.latest("cpu");
        f.firing("cpu", 150);
        assertTrue(c.noOutput(), "a check from before the resolve is stale news");
        assertEquals(resolved, f.latest("cpu"));
        f.firing("cpu", 250);
        assertEquals(
                List.of("reopened"),
                c.events().stream().map(IncidentEvent::type).toList());
        assertEquals(open.id(), f.latest("cpu").id());
    }
}
