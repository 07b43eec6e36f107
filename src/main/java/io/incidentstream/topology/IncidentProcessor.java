package io.incidentstream.topology;

import io.incidentstream.metrics.IncidentMetrics;
import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.Commands;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentCommand;
import io.incidentstream.model.Lifecycle;
import io.incidentstream.store.IncidentStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The one writer of incident state for its partition: folds alert events into incidents, applies
 * API commands, and, on a wall-clock punctuation, expires incidents whose {@code validUntil} has
 * passed. Alerts and commands of one incident meet here in one order, so there is no race between
 * a person resolving an incident and its alert firing again. A thin adapter: read the store, call
 * {@link Lifecycle} or {@link Commands}, save, forward the change.
 */
final class IncidentProcessor implements Processor<String, Input, String, IncidentChange> {
    /** How long command results are kept for the caller to read and for repeats to be recognised. */
    static final Duration RESULT_RETENTION = Duration.ofHours(1);

    private final Lifecycle lifecycle;
    private final Commands commands;
    private final IncidentMetrics metrics;
    private final Duration expiryInterval;
    private final int expiryMaxPerTick;
    private ProcessorContext<String, IncidentChange> context;
    private IncidentStore store;
    private int partition;

    IncidentProcessor(final Lifecycle lifecycle, final Commands commands, final IncidentMetrics metrics,
                      final Duration expiryInterval, final int expiryMaxPerTick) {
        this.lifecycle = lifecycle;
        this.commands = commands;
        this.metrics = metrics;
        this.expiryInterval = expiryInterval;
        this.expiryMaxPerTick = expiryMaxPerTick;
    }

    @Override
    public void init(final ProcessorContext<String, IncidentChange> context) {
        this.context = context;
        this.store = IncidentStore.from(context);
        this.partition = context.taskId().partition();
        context.schedule(expiryInterval, PunctuationType.WALL_CLOCK_TIME, this::expire);
    }

    @Override
    public void process(final Record<String, Input> record) {
        if (record.value().alert() != null) {
            applyAlert(record.value().alert(), record.timestamp());
        } else {
            applyCommand(record.value().command(), record.timestamp());
        }
    }

    private void applyAlert(final AlertEvent event, final long timestamp) {
        final Incident latest = store.latestFor(event.key());
        final Lifecycle.Result result = lifecycle.apply(latest, event, () -> store.nextId(partition));
        metrics.alertApplied(result.outcome());
        if (result.outcome().changed()) {
            final Incident before = latest != null && latest.id().equals(result.incident().id()) ? latest : null;
            store.save(before, result.incident());
            forward(IncidentChange.of(result), timestamp);
        }
    }

    /** Applies a command once: a command id already recorded is a repeat and changes nothing. */
    private void applyCommand(final IncidentCommand command, final long timestamp) {
        if (store.resultOf(command.commandId()) != null) {
            return;
        }
        final Incident current = command.incidentId() == null ? null : store.get(command.incidentId());
        final Commands.Applied applied = commands.apply(current, command, () -> store.nextId(partition));
        if (applied.deleted()) {
            store.delete(applied.incident());
            forward(new IncidentChange(applied.incident(), "deleted", applied.transition(), true), timestamp);
        } else if (applied.incident() != null) {
            store.save(current, applied.incident());
            final String type = command.kind() == IncidentCommand.Kind.CREATE ? "created" : "updated";
            forward(new IncidentChange(applied.incident(), type, applied.transition(), false), timestamp);
        }
        // Last: the API answers as soon as it sees the result, and then reads the incident.
        store.recordResult(applied.result());
    }

    /** Expires due incidents, at most {@code expiryMaxPerTick} per call; the rest go at the next tick. */
    private void expire(final long now) {
        final long started = System.nanoTime();
        final Instant at = Instant.ofEpochMilli(now);
        final List<Incident> due = store.dueBefore(at, expiryMaxPerTick);
        int expired = 0;
        for (Incident incident : due) {
            final Lifecycle.Result result = lifecycle.expire(incident, at);
            if (result.outcome().changed()) {
                store.save(incident, result.incident());
                forward(IncidentChange.of(result), now);
                expired++;
            }
        }
        store.expireResults(at, RESULT_RETENTION, expiryMaxPerTick);
        metrics.expirySweep(Duration.ofNanos(System.nanoTime() - started), expired);
    }

    private void forward(final IncidentChange change, final long timestamp) {
        context.forward(new Record<>(change.incident().id(), change, timestamp));
    }
}
