package io.incidentstream.query;

import io.incidentstream.errors.BadRequestException;
import io.incidentstream.errors.ConflictException;
import io.incidentstream.errors.IdempotencyKeyReusedException;
import io.incidentstream.errors.NotFoundException;
import io.incidentstream.errors.UnavailableException;
import io.incidentstream.model.CommandResult;
import io.incidentstream.model.IncidentCommand;
import io.incidentstream.model.IncidentId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes through Kafka with read-your-writes. The store has one writer, the topology, so a write
 * is a command on {@code incident-commands}, on the partition that owns the incident. This service
 * produces it, then waits (bounded by {@code COMMAND_TIMEOUT}) until the owner — this instance or
 * a peer — reports the command applied, and answers with the incident as it now is. The owner's
 * refusal (unknown id, invalid transition) becomes the 404/409/400 the caller sees. If the owner
 * is slow, 202 with a {@code Location}: the command is durable and will be applied.
 *
 * <p>A command id derived from an Idempotency-Key is applied once; a repeat is produced and ignored
 * by the owner, and answered with the first result, but only when it is the same request: the
 * result carries the fingerprint of the request it answers, so a repeat with another body is a 422
 * on every instance and after restarts, and the owner never applies it.
 */
public final class IncidentWrites {
    private static final Logger LOG = LoggerFactory.getLogger(IncidentWrites.class);
    private static final Duration FIRST_POLL = Duration.ofMillis(5);
    private static final Duration MAX_POLL = Duration.ofMillis(100);

    private final CommandSink sink;
    private final PeerDirectory directory;
    private final LocalIncidentQueries local;
    private final CommandResultClient peers;
    private final IncidentQueries reads;
    private final Duration timeout;

    public IncidentWrites(
            final CommandSink sink,
            final PeerDirectory directory,
            final LocalIncidentQueries local,
            final CommandResultClient peers,
            final IncidentQueries reads,
            final Duration timeout) {
        this.sink = sink;
        this.directory = directory;
        this.local = local;
        this.peers = peers;
        this.reads = reads;
        this.timeout = timeout;
    }

    public WriteOutcome submit(final IncidentCommand command) {
        final int partition = partitionOf(command);
        sink.send(partition, command);
        final CommandResult result = awaitResult(partition, command.commandId());
        if (result == null) {
            return new WriteOutcome(
                    202, null, command.incidentId() == null ? null : "/incidents/" + command.incidentId());
        }
        if (!result.answers(command)) {
            throw new IdempotencyKeyReusedException(
                    "this Idempotency-Key was already used with a different request body; nothing was changed. "
                            + "Send a new key for a new request");
        }
        return switch (result.status()) {
            case 204 -> new WriteOutcome(204, null, null);
            case 200, 201 ->
                new WriteOutcome(
                        result.status(),
                        reads.get(command.tenantId(), result.incidentId()),
                        "/incidents/" + result.incidentId());
            case 404 -> throw new NotFoundException(result.message());
            case 409 -> throw new ConflictException(result.message());
            default -> throw new BadRequestException(result.message());
        };
    }

    /** An update or delete goes where the incident lives; a create to a partition chosen by its command id. */
    private int partitionOf(final IncidentCommand command) {
        if (command.kind() == IncidentCommand.Kind.CREATE) {
            return Utils.toPositive(Utils.murmur2(command.commandId().getBytes(StandardCharsets.UTF_8)))
                    % directory.partitionCount();
        }
        final int partition = IncidentId.partitionOf(command.incidentId());
        if (partition < 0 || partition >= directory.partitionCount()) {
            throw new NotFoundException("incident " + command.incidentId() + " not found");
        }
        return partition;
    }

    /** Polls the owner with growing pauses; null when the deadline passes first. */
    private CommandResult awaitResult(final int partition, final String commandId) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_POLL.toMillis();
        while (true) {
            final CommandResult result = resultFromOwner(partition, commandId, deadline);
            if (result != null || System.nanoTime() >= deadline) {
                return result;
            }
            try {
                Thread.sleep(Math.min(pause, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            pause = Math.min(pause * 2, MAX_POLL.toMillis());
        }
    }

    private CommandResult resultFromOwner(final int partition, final String commandId, final long deadline) {
        try {
            final PeerDirectory.Peer owner = directory.ownerOf(partition).orElse(null);
            if (owner == null) {
                return null;
            }
            if (owner.self()) {
                return local.commandResult(partition, commandId);
            }
            return peers.commandResult(owner, partition, commandId)
                    .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (UnavailableException | ExecutionException | TimeoutException e) {
            LOG.debug(
                    "No result for command {} from the owner of partition {} yet: {}",
                    commandId,
                    partition,
                    e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
