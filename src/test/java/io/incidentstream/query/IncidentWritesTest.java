package io.incidentstream.query;

import static io.incidentstream.query.ClusterFixture.TENANT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.codec.Json;
import io.incidentstream.errors.IdempotencyKeyReusedException;
import io.incidentstream.model.CommandResult;
import io.incidentstream.model.Commands;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentCommand;
import io.incidentstream.model.IncidentId;
import io.incidentstream.model.Severity;
import io.incidentstream.store.IncidentStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A write asked of one instance whose incident another instance owns: the owner's stored result,
 * read over the wire, decides whether a repeated Idempotency-Key is the same request.
 */
class IncidentWritesTest {
    private static final int PARTITIONS = 2;
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final ClusterFixture cluster = new ClusterFixture(PARTITIONS);
    private final LocalIncidentQueries owner = cluster.instance(Set.of(0, 1));
    private final Commands rules = new Commands(Duration.ofMinutes(5));
    private final List<IncidentCommand> produced = new ArrayList<>();
    private final Incident incident =
            cluster.save(ClusterFixture.incident(IncidentId.of(1, 1), TENANT).build());

    /** This instance owns nothing; every result comes from the owner as JSON, as over HTTP. */
    private final IncidentWrites writes = new IncidentWrites(
            this::produce,
            new PeerDirectory() {
                @Override
                public List<Peer> peers() {
                    return List.of(new Peer("self:1", true), new Peer("owner:1", false));
                }

                @Override
                public Optional<Peer> ownerOf(final int partition) {
                    return Optional.of(new Peer("owner:1", false));
                }

                @Override
                public int partitionCount() {
                    return PARTITIONS;
                }
            },
            cluster.instance(Set.of()),
            (peer, partition, commandId) ->
                    CompletableFuture.completedFuture(overTheWire(owner.commandResult(partition, commandId))),
            new IncidentQueries() {
                @Override
                public IncidentPage list(final ListQuery query) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public Incident get(final String tenant, final String id) {
                    return owner.get(tenant, id);
                }
            },
            Duration.ofSeconds(2));

    @AfterEach
    void close() {
        cluster.close();
    }

    /** The owner's processor: a command id already answered is not applied again. */
    private void produce(final int partition, final IncidentCommand command) {
        produced.add(command);
        final IncidentStore store = cluster.writer(partition);
        if (store.resultOf(command.commandId()) == null) {
            final Commands.Applied applied = rules.apply(store.get(command.incidentId()), command, () -> null);
            if (applied.incident() != null) {
                store.save(store.get(command.incidentId()), applied.incident());
            }
            store.recordResult(applied.result());
        }
    }

    private static CommandResult overTheWire(final CommandResult result) {
        try {
            return result == null
                    ? null
                    : Json.mapper().readValue(Json.mapper().writeValueAsBytes(result), CommandResult.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private IncidentCommand severity(final String commandId, final Severity severity, final long seconds) {
        return new IncidentCommand(
                commandId,
                IncidentCommand.Kind.UPDATE,
                TENANT,
                incident.id(),
                "alice",
                T0.plusSeconds(seconds),
                null,
                severity,
                null,
                null,
                false,
                Map.of(),
                null,
                null);
    }

    @Test
    void shouldAnswerARetryOfTheSameRequestWithTheFirstResultFromTheOwner() {
        assertEquals(
                200, writes.submit(severity("idem-a", Severity.CRITICAL, 0)).status());
        final WriteOutcome retry = writes.submit(severity("idem-a", Severity.CRITICAL, 30));
        assertEquals(200, retry.status());
        assertEquals(Severity.CRITICAL, retry.incident().severity());
    }

    @Test
    void shouldRefuseAnotherBodyUnderTheKeyWithTheOwnersResultAndLeaveTheIncidentAlone() {
        writes.submit(severity("idem-b", Severity.CRITICAL, 0));
        final IdempotencyKeyReusedException e = assertThrows(
                IdempotencyKeyReusedException.class, () -> writes.submit(severity("idem-b", Severity.LOW, 30)));
        assertTrue(e.getMessage().contains("different request body"), e.getMessage());
        assertEquals(Severity.CRITICAL, owner.get(TENANT, incident.id()).severity());
    }

    @Test
    void shouldAnswerAResultRecordedWithoutFingerprintAsBefore() {
        cluster.writer(1).recordResult(new CommandResult("idem-c", incident.id(), 200, "updated", T0));
        final WriteOutcome outcome = writes.submit(severity("idem-c", Severity.LOW, 30));
        assertEquals(200, outcome.status());
        assertEquals(Severity.HIGH, outcome.incident().severity(), "not applied: the id was answered before");
    }
}
