package io.incidentstream.metrics;

import io.incidentstream.model.Incident;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Status;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Gauges {@code incidents.open{severity,status}}: open incidents of the partitions this instance
 * processes as active, kept incrementally so that a scrape never scans a store.
 *
 * <p>Counts live per partition, because partitions come and go with rebalances. The incident
 * processor of a task {@link #assign}s its partition when it is initialised, which Kafka Streams
 * does only after the task's stores are fully restored, takes the counts kept in the partition's
 * counters store (written in the same transaction as the incidents), then moves them on every save. When the task is closed
 * (revoked, migrated, or shut down) it {@link #release}s the partition and its counts leave the
 * gauges. A task re-initialised after an aborted transaction re-counts from its restored stores,
 * so uncommitted changes never linger in the gauges. Standby tasks never initialise processors and
 * so are never counted: summed over instances, the gauges count every open incident exactly once.
 */
public final class OpenIncidentGauges {
    /** The statuses counted; only open incidents are. */
    static final Status[] OPEN = {Status.ACTIVE, Status.ACKNOWLEDGED};

    private final ConcurrentMap<Integer, PartitionCounts> partitions = new ConcurrentHashMap<>();

    OpenIncidentGauges(final MeterRegistry registry) {
        for (Severity severity : Severity.values()) {
            for (Status status : OPEN) {
                Gauge.builder("incidents.open", this, g -> g.total(severity, status))
                        .description("Open incidents on the partitions this instance processes, by severity and status")
                        .tag("severity", severity.json())
                        .tag("status", status.name().toLowerCase(Locale.ROOT))
                        .register(registry);
            }
        }
    }

    /** Starts counting a partition afresh (replacing any earlier counts of it); the caller fills it. */
    public PartitionCounts assign(final int partition) {
        final PartitionCounts counts = new PartitionCounts();
        partitions.put(partition, counts);
        return counts;
    }

    /** Drops a partition's counts, unless another task has assigned it since. */
    public void release(final int partition, final PartitionCounts counts) {
        partitions.remove(partition, counts);
    }

    /** Sum over the assigned partitions: a handful of array reads per scrape. */
    long total(final Severity severity, final Status status) {
        long sum = 0;
        for (PartitionCounts counts : partitions.values()) {
            sum += counts.get(severity, status);
        }
        return sum;
    }

    /** Open incidents of one partition by severity and status. Written by one stream thread, read by scrapes. */
    public static final class PartitionCounts {
        private final AtomicLongArray cells = new AtomicLongArray(Severity.values().length * OPEN.length);

        /** Sets one count as read from the partition's counters store at initialisation. */
        public void set(final Severity severity, final Status status, final long count) {
            final int cell = cell(severity, status);
            if (cell >= 0) {
                cells.set(cell, count);
            }
        }

        /**
         * Moves the counts from an incident's stored state to its new one.
         *
         * @param before the stored state, or null when the incident is new
         * @param after  the new state, or null when the incident is deleted
         */
        public void move(final Incident before, final Incident after) {
            if (before != null) {
                adjust(before, -1);
            }
            if (after != null) {
                adjust(after, 1);
            }
        }

        long get(final Severity severity, final Status status) {
            final int cell = cell(severity, status);
            return cell < 0 ? 0 : cells.get(cell);
        }

        private void adjust(final Incident incident, final int delta) {
            final int cell = cell(incident.severity(), incident.status());
            if (cell >= 0) {
                cells.addAndGet(cell, delta);
            }
        }

        /** The cell of an open incident, or -1 for a closed one (or one without severity). */
        // The ordinal indexes an in-memory table rebuilt at every start; it is never stored.
        @SuppressWarnings("EnumOrdinal")
        private static int cell(final Severity severity, final Status status) {
            if (severity == null || !status.isOpen()) {
                return -1;
            }
            return severity.ordinal() * OPEN.length + (status == Status.ACTIVE ? 0 : 1);
        }
    }
}
