package io.incidentstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The write-path rules of {@link Commands}, as pure functions: no store, no Kafka. */
class CommandsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final String TENANT = "acme";

    private final Commands commands = new Commands(TTL);
    private final Lifecycle lifecycle = new Lifecycle(Duration.ofMinutes(10));
    private int commandSeq;

    /** The new-id supplier for applications that must not open an incident. */
    private static String noNewId() {
        throw new AssertionError("no new id expected");
    }

    private static Instant at(final long seconds) {
        return T0.plusSeconds(seconds);
    }

    private IncidentCommand create(final Status status, final Severity severity) {
        return new IncidentCommand(
                "c" + ++commandSeq,
                IncidentCommand.Kind.CREATE,
                TENANT,
                null,
                "alice",
                at(0),
                "Disk full",
                severity,
                "sda1 at 100%",
                "bob",
                false,
                Map.of("team", "ops"),
                status,
                "opened by hand");
    }

    private IncidentCommand update(final String id, final long seconds, final Status status, final String note) {
        return new IncidentCommand(
                "c" + ++commandSeq,
                IncidentCommand.Kind.UPDATE,
                TENANT,
                id,
                "alice",
                at(seconds),
                null,
                null,
                null,
                null,
                false,
                null,
                status,
                note);
    }

    private IncidentCommand fields(
            final String id,
            final long seconds,
            final String title,
            final Severity severity,
            final String description,
            final String assignee,
            final boolean unassign) {
        return new IncidentCommand(
                "c" + ++commandSeq,
                IncidentCommand.Kind.UPDATE,
                TENANT,
                id,
                "alice",
                at(seconds),
                title,
                severity,
                description,
                assignee,
                unassign,
                null,
                null,
                null);
    }

    private Incident manual(final Status status) {
        return commands.apply(null, create(status, null), () -> "incident.0.1").incident();
    }

    /** An automated incident opened at 0 with validUntil = 0 + TTL. */
    private Incident automated() {
        return automated(at(0).plus(TTL));
    }

    private Incident automated(final Instant validUntil) {
        final AlertEvent firing = new AlertEvent(
                "cpu",
                1,
                "tpl",
                TENANT,
                AlertStatus.FIRING,
                Severity.HIGH,
                "CPU",
                null,
                at(0),
                validUntil,
                null,
                Map.of(),
                null);
        return lifecycle.apply(null, firing, () -> "incident.0.9").incident();
    }

    private Incident withStatus(final Incident i, final Status status, final long seconds) {
        return commands.apply(i, update(i.id(), seconds, status, null), CommandsTest::noNewId)
                .incident();
    }

    private Commands.Applied apply(final Incident current, final IncidentCommand c) {
        return commands.apply(current, c, CommandsTest::noNewId);
    }

    @Test
    void shouldCreateActiveManualIncidentWithDefaults() {
        final IncidentCommand c = create(null, null);
        final Commands.Applied a = commands.apply(null, c, () -> "incident.0.1");
        assertEquals(
                new CommandResult(c.commandId(), "incident.0.1", 201, "created", at(0), CommandFingerprint.of(c)),
                a.result());
        assertFalse(a.deleted());
        final Incident i = a.incident();
        assertEquals("incident.0.1", i.id());
        assertEquals(TENANT, i.tenantId());
        assertEquals(Source.MANUAL, i.source());
        assertEquals(Status.ACTIVE, i.status());
        assertEquals(Severity.MEDIUM, i.severity());
        assertEquals("manual", i.alertTemplateId());
        assertNull(i.validUntil());
        assertNull(i.acknowledgedAt());
        assertEquals("Disk full", i.title());
        assertEquals("sda1 at 100%", i.description());
        assertEquals("bob", i.assignee());
        assertEquals(Map.of("team", "ops"), i.labels());
        assertEquals(at(0), i.createdAt());
        assertEquals(at(0), i.updatedAt());
        assertEquals(0, i.alertCount());
        final TimelineEntry entry =
                new TimelineEntry(at(0), null, Status.ACTIVE, TimelineEntry.SOURCE_API, "alice", "opened by hand");
        assertEquals(entry, a.transition());
        assertEquals(java.util.List.of(entry), i.timeline());
    }

    @Test
    void shouldCreateAcknowledgedIncidentWhenAskedWithSeverity() {
        final Incident i = commands.apply(null, create(Status.ACKNOWLEDGED, Severity.CRITICAL), () -> "incident.0.1")
                .incident();
        assertEquals(Status.ACKNOWLEDGED, i.status());
        assertEquals(at(0), i.acknowledgedAt());
        assertEquals(Severity.CRITICAL, i.severity());
        assertEquals(Status.ACKNOWLEDGED, i.timeline().get(0).to());
    }

    @Test
    void shouldRefuseToCreateClosedIncidentWith400() {
        for (Status closed : new Status[] {Status.RESOLVED, Status.EXPIRED}) {
            final IncidentCommand c = create(closed, null);
            final Commands.Applied a = commands.apply(null, c, () -> "incident.0.1");
            assertEquals(400, a.result().status(), closed.name());
            assertFalse(a.result().applied());
            assertEquals(c.commandId(), a.result().commandId());
            assertNull(a.incident());
            assertNull(a.transition());
        }
    }

    @Test
    void shouldAcknowledgeActiveIncident() {
        final Incident open = manual(null);
        final Commands.Applied a = apply(open, update(open.id(), 60, Status.ACKNOWLEDGED, "on it"));
        assertEquals(200, a.result().status());
        assertEquals("updated", a.result().message());
        assertEquals(open.id(), a.result().incidentId());
        assertEquals(Status.ACKNOWLEDGED, a.incident().status());
        assertEquals(at(60), a.incident().acknowledgedAt());
        assertEquals(at(60), a.incident().updatedAt());
        assertEquals(
                new TimelineEntry(at(60), Status.ACTIVE, Status.ACKNOWLEDGED, "api", "alice", "on it"), a.transition());
        assertEquals(a.transition(), a.incident().timeline().get(1));
    }

    @Test
    void shouldResolveActiveOrAcknowledgedIncident() {
        for (Status from : new Status[] {Status.ACTIVE, Status.ACKNOWLEDGED}) {
            final Incident open = manual(from);
            final Commands.Applied a = apply(open, update(open.id(), 90, Status.RESOLVED, null));
            assertEquals(200, a.result().status(), from.name());
            assertEquals(Status.RESOLVED, a.incident().status());
            assertEquals(at(90), a.incident().resolvedAt());
            assertEquals(from, a.transition().from());
            assertEquals(Status.RESOLVED, a.transition().to());
        }
    }

    @Test
    void shouldReopenResolvedIncidentClearingResolvedAndAcknowledgedAt() {
        final Incident resolved = withStatus(manual(Status.ACKNOWLEDGED), Status.RESOLVED, 60);
        final Commands.Applied a = apply(resolved, update(resolved.id(), 120, Status.ACTIVE, "not fixed"));
        assertEquals(200, a.result().status());
        assertEquals(Status.ACTIVE, a.incident().status());
        assertNull(a.incident().resolvedAt());
        assertNull(a.incident().acknowledgedAt());
        assertNull(a.incident().validUntil(), "a manual incident has no validUntil to move");
        assertEquals(Status.RESOLVED, a.transition().from());
        assertEquals(Status.ACTIVE, a.transition().to());
    }

    @Test
    void shouldMoveValidUntilOfReopenedExpiredAutomatedIncident() {
        final Incident expired = lifecycle.expire(automated(), at(3600)).incident();
        final Commands.Applied a = apply(expired, update(expired.id(), 3600, Status.ACTIVE, null));
        assertEquals(Status.ACTIVE, a.incident().status());
        assertEquals(at(3600).plus(TTL), a.incident().validUntil());
        assertEquals(Status.EXPIRED, a.transition().from());
    }

    @Test
    void shouldMoveValidUntilOfReopenedResolvedAutomatedIncident() {
        final Incident resolved = withStatus(automated(), Status.RESOLVED, 10);
        final Incident reopened = withStatus(resolved, Status.ACTIVE, 1000);
        assertEquals(Status.ACTIVE, reopened.status());
        assertNull(reopened.resolvedAt());
        assertEquals(at(1000).plus(TTL), reopened.validUntil());
    }

    @Test
    void shouldKeepLaterValidUntilWhenReopeningAutomatedIncident() {
        final Incident resolved = withStatus(automated(at(3600)), Status.RESOLVED, 10);
        final Incident reopened = withStatus(resolved, Status.ACTIVE, 20);
        assertEquals(Status.ACTIVE, reopened.status());
        assertEquals(at(3600), reopened.validUntil(), "validUntil never moves back on reopen");
    }

    @Test
    void shouldUnacknowledgeWithoutTouchingValidUntil() {
        final Incident acked = withStatus(automated(), Status.ACKNOWLEDGED, 10);
        final Commands.Applied a = apply(acked, update(acked.id(), 200, Status.ACTIVE, null));
        assertEquals(Status.ACTIVE, a.incident().status());
        assertNull(a.incident().acknowledgedAt());
        assertEquals(at(0).plus(TTL), a.incident().validUntil());
        assertEquals(Status.ACKNOWLEDGED, a.transition().from());
    }

    @Test
    void shouldRefuseAcknowledgingClosedIncidentWith409() {
        final Incident resolved = withStatus(manual(null), Status.RESOLVED, 10);
        final Incident expired = lifecycle.expire(automated(), at(3600)).incident();
        for (Incident closed : new Incident[] {resolved, expired}) {
            final Commands.Applied a = apply(closed, update(closed.id(), 4000, Status.ACKNOWLEDGED, null));
            assertEquals(409, a.result().status(), closed.status().name());
            assertEquals(closed.id(), a.result().incidentId());
            assertNull(a.incident());
            assertNull(a.transition());
        }
    }

    @Test
    void shouldRefuseResolvingExpiredIncidentWith409() {
        final Incident expired = lifecycle.expire(automated(), at(3600)).incident();
        final Commands.Applied a = apply(expired, update(expired.id(), 4000, Status.RESOLVED, null));
        assertEquals(409, a.result().status());
        assertNull(a.incident());
    }

    @Test
    void shouldRefuseAskingForExpiredWith400() {
        final Incident open = manual(null);
        final Commands.Applied a = apply(open, update(open.id(), 10, Status.EXPIRED, null));
        assertEquals(400, a.result().status());
        assertNull(a.incident());
    }

    @Test
    void shouldAnswerUnchangedWithoutWritingWhenStatusIsAlreadySet() {
        final Incident acked = manual(Status.ACKNOWLEDGED);
        final Commands.Applied a = apply(acked, update(acked.id(), 60, Status.ACKNOWLEDGED, null));
        assertEquals(200, a.result().status());
        assertEquals("unchanged", a.result().message());
        assertEquals(acked.id(), a.result().incidentId());
        assertTrue(a.result().applied());
        assertNull(a.incident());
        assertNull(a.transition());
        assertFalse(a.deleted());
        final Incident resolved = withStatus(acked, Status.RESOLVED, 70);
        assertNull(apply(resolved, update(resolved.id(), 80, Status.RESOLVED, null))
                .incident());
    }

    @Test
    void shouldChangeSeverityTitleDescriptionAndAssigneeWithoutTransition() {
        final Incident open = manual(null);
        final Commands.Applied a = apply(
                open, fields(open.id(), 30, "Disk really full", Severity.CRITICAL, "now sdb too", "carol", false));
        assertEquals(200, a.result().status());
        assertEquals("updated", a.result().message());
        final Incident i = a.incident();
        assertEquals("Disk really full", i.title());
        assertEquals(Severity.CRITICAL, i.severity());
        assertEquals("now sdb too", i.description());
        assertEquals("carol", i.assignee());
        assertEquals(Status.ACTIVE, i.status());
        assertEquals(at(30), i.updatedAt());
        assertNull(a.transition());
        assertEquals(open.timeline(), i.timeline());
    }

    @Test
    void shouldKeepUnsetFieldsAndUnassignOnlyWhenAsked() {
        final Incident open = manual(null);
        final Incident same = apply(open, fields(open.id(), 30, null, Severity.LOW, null, null, false))
                .incident();
        assertEquals("bob", same.assignee());
        assertEquals("Disk full", same.title());
        assertEquals("sda1 at 100%", same.description());
        final Incident unassigned =
                apply(same, fields(open.id(), 40, null, null, null, null, true)).incident();
        assertNull(unassigned.assignee());
        assertEquals(Severity.LOW, unassigned.severity());
    }

    @Test
    void shouldAnswerUnchangedWhenFieldsAlreadyHaveTheirValues() {
        final Incident open = manual(null);
        final Commands.Applied a = apply(open, fields(open.id(), 30, "Disk full", Severity.MEDIUM, null, "bob", false));
        assertEquals("unchanged", a.result().message());
        assertNull(a.incident());
    }

    @Test
    void shouldAddNoteAsTimelineEntryWithActor() {
        final Incident acked = manual(Status.ACKNOWLEDGED);
        final Commands.Applied a = apply(acked, update(acked.id(), 45, null, "rebooted the box"));
        assertEquals("updated", a.result().message());
        final TimelineEntry note =
                new TimelineEntry(at(45), Status.ACKNOWLEDGED, Status.ACKNOWLEDGED, "api", "alice", "rebooted the box");
        assertEquals(note, a.transition());
        assertEquals(note, a.incident().timeline().get(a.incident().timeline().size() - 1));
        assertEquals(Status.ACKNOWLEDGED, a.incident().status());
        assertEquals(at(45), a.incident().updatedAt());
        final Commands.Applied sameStatus = apply(acked, update(acked.id(), 50, Status.ACKNOWLEDGED, "still on it"));
        assertEquals("still on it", sameStatus.transition().note());
        assertEquals(Status.ACKNOWLEDGED, sameStatus.transition().from());
    }

    @Test
    void shouldNeverMoveUpdatedAtBackwards() {
        final Incident later = apply(manual(null), fields("incident.0.1", 600, null, Severity.HIGH, null, null, false))
                .incident();
        final Incident i = apply(later, fields(later.id(), 60, null, Severity.LOW, null, null, false))
                .incident();
        assertEquals(Severity.LOW, i.severity());
        assertEquals(at(600), i.updatedAt());
    }

    @Test
    void shouldAnswer404ForUnknownIdOrOtherTenantsIncident() {
        final IncidentCommand resolve = update("incident.0.7", 10, Status.RESOLVED, null);
        final Commands.Applied unknown = apply(null, resolve);
        assertEquals(
                new CommandResult(
                        resolve.commandId(),
                        "incident.0.7",
                        404,
                        "incident incident.0.7 not found",
                        at(10),
                        CommandFingerprint.of(resolve)),
                unknown.result());
        assertNull(unknown.incident());
        final Incident theirs = manual(null).toBuilder().tenantId("globex").build();
        for (IncidentCommand c : new IncidentCommand[] {
            update(theirs.id(), 10, Status.RESOLVED, null),
            new IncidentCommand(
                    "del",
                    IncidentCommand.Kind.DELETE,
                    TENANT,
                    theirs.id(),
                    "alice",
                    at(10),
                    null,
                    null,
                    null,
                    null,
                    false,
                    null,
                    null,
                    null)
        }) {
            final Commands.Applied a = apply(theirs, c);
            assertEquals(404, a.result().status(), c.kind().name());
            assertNull(a.incident());
            assertFalse(a.deleted());
        }
    }

    @Test
    void shouldDeleteWith204() {
        final Incident open = manual(null);
        final IncidentCommand c = new IncidentCommand(
                "del",
                IncidentCommand.Kind.DELETE,
                TENANT,
                open.id(),
                "alice",
                at(99),
                null,
                null,
                null,
                null,
                false,
                null,
                null,
                null);
        final Commands.Applied a = apply(open, c);
        assertEquals(new CommandResult("del", open.id(), 204, "deleted", at(99), CommandFingerprint.of(c)), a.result());
        assertTrue(a.deleted());
        assertSame(open, a.incident());
        assertEquals(Status.ACTIVE, a.transition().from());
        assertNull(a.transition().to());
        assertEquals("alice", a.transition().actor());
    }

    @Test
    void shouldBoundTimelineKeepingNewestNotes() {
        Incident i = manual(null);
        for (int n = 1; n <= 60; n++) {
            i = apply(i, update(i.id(), n, null, "note " + n)).incident();
        }
        assertEquals(Incident.TIMELINE_LIMIT, i.timeline().size());
        assertEquals("note 11", i.timeline().get(0).note());
        assertEquals("note 60", i.timeline().get(Incident.TIMELINE_LIMIT - 1).note());
    }

    @Test
    void shouldRefuseANoteOverItsBoundNamingItAndChangeNothing() {
        final Incident open = manual(null);
        final Commands.Applied a =
                apply(open, update(open.id(), 5, Status.ACKNOWLEDGED, "x".repeat(Bounds.MAX_TEXT_CHARS + 1)));
        assertEquals(400, a.result().status());
        assertEquals("note is longer than 16384 characters", a.result().message());
        assertNull(a.incident());
        assertNull(a.transition());
    }

    @Test
    void shouldRefuseACreateWithLabelsOverTheirBoundNamingThem() {
        final IncidentCommand c = create(null, null);
        final Map<String, String> labels = new java.util.HashMap<>();
        for (int i = 0; i < 20; i++) {
            labels.put("k" + i, "€".repeat(Bounds.MAX_LABEL_VALUE_CHARS));
        }
        final Commands.Applied a = commands.apply(
                null,
                new IncidentCommand(
                        c.commandId(),
                        c.kind(),
                        c.tenantId(),
                        null,
                        c.actor(),
                        c.at(),
                        c.title(),
                        null,
                        null,
                        null,
                        false,
                        labels,
                        null,
                        null),
                CommandsTest::noNewId);
        assertEquals(400, a.result().status());
        assertTrue(a.result().message().startsWith("labels are "), a.result().message());
        assertNull(a.incident());
    }
}
