package io.incidentstream.topology;

import io.incidentstream.metrics.IncidentMetrics;
import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.Incident;
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
 * The one writer of incident state for its partition: folds alert events into incidents and, on a
 * wall-clock punctuation, expires incidents whose {@code validUntil} has passed. A thin adapter:
 * read the store, call {@link Lifecycle}, save, forward the change.
 */
final class IncidentProcessor implements Processor<String, AlertEvent, String, IncidentChange> {
    private final Lifecycle lifecycle;
    private final IncidentMetrics metrics;
    private final Duration expiryInterval;
    private final int expiryMaxPerTick;
    private ProcessorContext<String, IncidentChange> context;
    private IncidentStore store;
    private int partition;

    IncidentProcessor(final Lifecycle lifecycle, final IncidentMetrics metrics, final Duration expiryInterval,
                      final int expiryMaxPerTick) {
        this.lifecycle = lifecycle;
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
    public void process(final Record<String, AlertEvent> record) {
        final AlertEvent event = record.value();
        final Incident latest = store.latestFor(event.key());
        final Lifecycle.Result result = lifecycle.apply(latest, event, () -> store.nextId(partition));
        metrics.alertApplied(result.outcome());
        if (result.outcome().changed()) {
            final Incident before = latest != null && latest.id().equals(result.incident().id()) ? latest : null;
            save(before, result, record.timestamp());
        }
    }

    /** Expires due incidents, at most {@code expiryMaxPerTick} per call; the rest go at the next tick. */
    private void expire(final long now) {
        final long started = System.nanoTime();
        final List<Incident> due = store.dueBefore(Instant.ofEpochMilli(now), expiryMaxPerTick);
        int expired = 0;
        for (Incident incident : due) {
            final Lifecycle.Result result = lifecycle.expire(incident, Instant.ofEpochMilli(now));
            if (result.outcome().changed()) {
                save(incident, result, now);
                expired++;
            }
        }
        metrics.expirySweep(Duration.ofNanos(System.nanoTime() - started), expired);
    }

    private void save(final Incident before, final Lifecycle.Result result, final long timestamp) {
        store.save(before, result.incident());
        context.forward(new Record<>(result.incident().id(), new IncidentChange(result.incident(), result.outcome(),
            result.transition()), timestamp));
    }
}
