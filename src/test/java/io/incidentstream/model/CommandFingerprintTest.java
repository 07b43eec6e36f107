package io.incidentstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.codec.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two requests under one Idempotency-Key are the same request exactly when they ask for the same
 * change; who sent it and when do not matter, and the answer survives the trip through Kafka.
 */
class CommandFingerprintTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static IncidentCommand update(
            final String title, final String description, final Map<String, String> labels) {
        return new IncidentCommand(
                "idem-1",
                IncidentCommand.Kind.UPDATE,
                "acme",
                "incident.1.1",
                "alice",
                T0,
                title,
                Severity.HIGH,
                description,
                "bob",
                false,
                labels,
                Status.ACKNOWLEDGED,
                "looking");
    }

    private static IncidentCommand base() {
        return update("Disk full", "sda1", Map.of("team", "ops", "env", "prod"));
    }

    @Test
    void shouldBeTheSameForARetryBySomeoneElseLater() {
        final IncidentCommand b = base();
        final IncidentCommand retry = new IncidentCommand(
                "idem-1",
                b.kind(),
                b.tenantId(),
                b.incidentId(),
                "carol",
                T0.plusSeconds(90),
                b.title(),
                b.severity(),
                b.description(),
                b.assignee(),
                b.unassign(),
                b.labels(),
                b.status(),
                b.note());
        assertEquals(CommandFingerprint.of(b), CommandFingerprint.of(retry));
    }

    @Test
    void shouldNotDependOnTheOrderOfLabels() {
        final Map<String, String> reversed = new LinkedHashMap<>();
        reversed.put("team", "ops");
        reversed.put("env", "prod");
        final Map<String, String> ordered = new LinkedHashMap<>();
        ordered.put("env", "prod");
        ordered.put("team", "ops");
        assertEquals(
                CommandFingerprint.of(update("t", null, reversed)), CommandFingerprint.of(update("t", null, ordered)));
    }

    @Test
    void shouldDifferWhenAnyRequestedChangeDiffers() {
        final IncidentCommand b = base();
        final List<IncidentCommand> others = List.of(
                update("Disk fuller", "sda1", b.labels()),
                update("Disk full", "sda2", b.labels()),
                update("Disk full", "sda1", Map.of("team", "ops")),
                update("Disk full", "sda1", Map.of("team", "ops", "env", "dev")),
                with(b, "incident.1.2", Severity.HIGH, "bob", false, Status.ACKNOWLEDGED, "looking"),
                with(b, b.incidentId(), Severity.LOW, "bob", false, Status.ACKNOWLEDGED, "looking"),
                with(b, b.incidentId(), Severity.HIGH, "eve", false, Status.ACKNOWLEDGED, "looking"),
                with(b, b.incidentId(), Severity.HIGH, null, true, Status.ACKNOWLEDGED, "looking"),
                with(b, b.incidentId(), Severity.HIGH, "bob", false, Status.RESOLVED, "looking"),
                with(b, b.incidentId(), Severity.HIGH, "bob", false, Status.ACKNOWLEDGED, null));
        for (IncidentCommand other : others) {
            assertNotEquals(CommandFingerprint.of(b), CommandFingerprint.of(other), other.toString());
        }
    }

    @Test
    void shouldTellAValueInOneFieldFromTheSameValueInAnother() {
        assertNotEquals(
                CommandFingerprint.of(update("x", null, Map.of())), CommandFingerprint.of(update(null, "x", Map.of())));
        assertNotEquals(
                CommandFingerprint.of(update("a;description=1:b", null, Map.of())),
                CommandFingerprint.of(update("a", "b", Map.of())));
    }

    @Test
    void shouldSurviveTheCommandsTripThroughTheTopic() throws IOException {
        final IncidentCommand b = base();
        final IncidentCommand read = Json.mapper().readValue(Json.mapper().writeValueAsBytes(b), IncidentCommand.class);
        assertEquals(CommandFingerprint.of(b), CommandFingerprint.of(read));
    }

    @Test
    void shouldAnswerOnlyTheRequestItWasRecordedFor() {
        final IncidentCommand b = base();
        final CommandResult result =
                new CommandResult("idem-1", "incident.1.1", 200, "updated", T0, CommandFingerprint.of(b));
        assertTrue(result.answers(b));
        assertFalse(result.answers(update("Disk fuller", "sda1", b.labels())));
    }

    @Test
    void shouldLetAResultWithoutAComparableFingerprintAnswerAsBefore() {
        final IncidentCommand other = update("Disk fuller", "sda1", Map.of());
        assertTrue(new CommandResult("idem-1", "incident.1.1", 200, "updated", T0).answers(other));
        assertTrue(new CommandResult("idem-1", "incident.1.1", 200, "updated", T0, "v0:abc").answers(other));
    }

    @Test
    void shouldReadAResultStoredBeforeFingerprintsAndKeepOneStoredWithIt() throws IOException {
        final String old = "{\"commandId\":\"idem-1\",\"incidentId\":\"incident.1.1\",\"status\":201,"
                + "\"message\":\"created\",\"at\":\"2026-01-01T00:00:00Z\"}";
        final CommandResult read = Json.mapper().readValue(old, CommandResult.class);
        assertEquals(new CommandResult("idem-1", "incident.1.1", 201, "created", T0), read);
        assertNull(read.fingerprint());

        final CommandResult current =
                new CommandResult("idem-1", "incident.1.1", 201, "created", T0, CommandFingerprint.of(base()));
        assertEquals(current, Json.mapper().readValue(Json.mapper().writeValueAsBytes(current), CommandResult.class));
    }

    private static IncidentCommand with(
            final IncidentCommand b,
            final String incidentId,
            final Severity severity,
            final String assignee,
            final boolean unassign,
            final Status status,
            final String note) {
        return new IncidentCommand(
                b.commandId(),
                b.kind(),
                b.tenantId(),
                incidentId,
                b.actor(),
                b.at(),
                b.title(),
                severity,
                b.description(),
                assignee,
                unassign,
                b.labels(),
                status,
                note);
    }
}
