package io.incidentstream.topology;

import io.incidentstream.metrics.IncidentMetrics;
import io.incidentstream.metrics.OpenIncidentGauges;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of incident state for its partition: folds alert events into incidents and, on a
 * wall-clock punctuation, expires incidents whose {@code validUntil} has passed. A thin adapter:
 * read the store, call {@link Lifecycle}, save, forward the change, move the meters.
 *
 * <p>Logging: task start and end at INFO (they follow rebalances, which operators want to see);
 * each lifecycle transition at DEBUG only, since at scale one line per incident change is noise
 * and the {@code incidents.*} counters are the signal.
 */
final class IncidentProcessor implements Processor<String, AlertEvent, String, IncidentChange> {
    private static final Logger LOG = LoggerFactory.getLogger(IncidentProcessor.class);

    private final Lifecycle lifecycle;
    private final IncidentMetrics metrics;
    private final Duration expiryInterval;
    private final int expiryMaxPerTick;
    private ProcessorContext<String, IncidentChange> context;
    private IncidentStore store;
    private int partition;
    private OpenIncidentGauges.PartitionCounts openCounts;

    IncidentProcessor(final Lifecycle lifecycle, final IncidentMetrics metrics, final Duration expiryInterval,
                      final int expiryMaxPerTick) {
        this.lifecycle = lifecycle;
        this.metrics = metrics;
        this.expiryInterval = expiryInterval;
        this.expiryMaxPerTick = expiryMaxPerTick;
    }

    /**
     * Called once the task's stores are restored, on every (re)assignment of the partition: counts
     * the open incidents once, so the gauges are right after restarts and rebalances without ever
     * scanning on a scrape. O(open incidents) via the expiry index.
     */
    @Override
    public void init(final ProcessorContext<String, IncidentChange> context) {
        this.context = context;
        this.store = IncidentStore.from(context);
        this.partition = context.taskId().partition();
        final long started = System.nanoTime();
        openCounts = metrics.openIncidents().assign(partition);
        final long[] open = {0};
        store.forEachOpen(incident -> {
            openCounts.add(incident);
            open[0]++;
        });
        LOG.info("Task {} started: {} open incidents on partition {}, counted in {} ms", context.taskId(), open[0], partition,
            Duration.ofNanos(System.nanoTime() - started).toMillis());
        context.schedule(expiryInterval, PunctuationType.WALL_CLOCK_TIME, this::expire);
    }

    @Override
    public void process(final Record<String, AlertEvent> record) {
        final AlertEvent event = record.value();
        metrics.eventLag(Duration.ofMillis(context.currentSystemTimeMs() - event.checkedAt().toEpochMilli()));
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
        for (Incident incident : due) {
            final Lifecycle.Result result = lifecycle.expire(incident, Instant.ofEpochMilli(now));
            if (result.outcome().changed()) {
                save(incident, result, now);
            }
        }
        metrics.expirySweep(Duration.ofNanos(System.nanoTime() - started));
    }

    private void save(final Incident before, final Lifecycle.Result result, final long timestamp) {
        final Incident after = result.incident();
        store.save(before, after);
        openCounts.move(before, after);
        if (result.transition() != null) {
            metrics.transition(result.transition());
            LOG.debug("Incident {} {}: {} -> {}", after.id(), result.outcome(), result.transition().from(), result.transition().to());
        }
        context.forward(new Record<>(after.id(), new IncidentChange(after, result.outcome(), result.transition()), timestamp));
    }

    /** The task is closed (revoked, migrated, shutting down): its partition's open incidents leave the gauges. */
    @Override
    public void close() {
        if (openCounts != null) {
            metrics.openIncidents().release(partition, openCounts);
            LOG.info("Task {} closed: partition {} no longer counted here", context.taskId(), partition);
        }
    }
}
