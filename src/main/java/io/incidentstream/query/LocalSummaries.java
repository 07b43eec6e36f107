package io.incidentstream.query;

import io.incidentstream.errors.UnavailableException;
import io.incidentstream.model.Incident;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Status;
import io.incidentstream.model.TimelineEntry;
import io.incidentstream.store.IndexEntry;
import io.incidentstream.store.IndexKeys;
import io.incidentstream.store.IndexScan;
import io.incidentstream.store.PartitionStores;
import io.incidentstream.store.ScanRange;
import io.incidentstream.store.StoreAccess;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * This instance's part of a summary. Open counts are read from the counts the processor keeps
 * beside the index (O(1) per partition and status × severity). Response times come from the
 * incidents changed since the window's start, newest first, through the {@code updatedAt} index:
 * acknowledging or closing an incident changes it, so every one acknowledged or closed in the window
 * is there. At most {@code scanLimit} entries are read; beyond that the part says it is incomplete.
 *
 * <p>Who closed an incident is read from its timeline's last transition into its closed status:
 * {@code api} is a person; {@code alert} (the monitoring system sent RESOLVED) and other automatic
 * sources count as resolved by the alert; EXPIRED (no FIRING before {@code validUntil}) apart. Those
 * are kept apart because automatic closes would otherwise pull the figures towards the alerts'
 * own durations, not the responders'.
 */
public final class LocalSummaries {
    /** Index entries one summary reads per instance at most. */
    public static final int SCAN_LIMIT = 50_000;

    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private final StoreAccess stores;
    private final int scanLimit;

    public LocalSummaries(final StoreAccess stores) {
        this(stores, SCAN_LIMIT);
    }

    LocalSummaries(final StoreAccess stores, final int scanLimit) {
        this.stores = stores;
        this.scanLimit = scanLimit;
    }

    public LocalSummary summary(final String tenant, final Instant from) {
        try {
            final List<PartitionStores> partitions = stores.activePartitions();
            final Set<Integer> served =
                    partitions.stream().map(PartitionStores::partition).collect(Collectors.toSet());
            final Map<String, Long> open = open(tenant, partitions);
            final DurationSketch acknowledge = new DurationSketch();
            final DurationSketch byPerson = new DurationSketch();
            final DurationSketch byAlert = new DurationSketch();
            final DurationSketch expired = new DurationSketch();
            final Map<Integer, PartitionStores> byPartition = new HashMap<>();
            partitions.forEach(p -> byPartition.put(p.partition(), p));
            final ScanRange changed = new ScanRange(
                    List.of(IndexKeys.prefix(tenant, IndexKeys.Order.UPDATED_AT, null, null)),
                    from.toEpochMilli(),
                    Long.MAX_VALUE,
                    true,
                    null,
                    null);
            boolean complete = true;
            try (IndexScan scan = new IndexScan(partitions, changed)) {
                int read = 0;
                while (scan.hasNext()) {
                    if (read == scanLimit) {
                        complete = false;
                        break;
                    }
                    final IndexEntry entry = scan.next();
                    read++;
                    final Incident i = byPartition.get(entry.partition()).incident(entry.id());
                    if (i == null) {
                        continue;
                    }
                    if (i.acknowledgedAt() != null && !i.acknowledgedAt().isBefore(from)) {
                        acknowledge.add(Duration.between(i.createdAt(), i.acknowledgedAt()));
                    }
                    final Instant closed = closedAt(i);
                    if (closed != null && !closed.isBefore(from)) {
                        final Duration took = Duration.between(i.createdAt(), closed);
                        switch (closedBy(i)) {
                            case PERSON -> byPerson.add(took);
                            case ALERT -> byAlert.add(took);
                            case EXPIRY -> expired.add(took);
                        }
                    }
                }
            }
            return new LocalSummary(served, open, acknowledge, byPerson, byAlert, expired, complete);
        } catch (InvalidStateStoreException e) {
            throw new UnavailableException("incident stores changed hands during the query; retry", RETRY_AFTER, e);
        }
    }

    /** Who closed an incident: a person, its alert (or another automatic source), or its expiry. */
    enum ClosedBy {
        PERSON,
        ALERT,
        EXPIRY
    }

    static ClosedBy closedBy(final Incident i) {
        if (i.status() == Status.EXPIRED) {
            return ClosedBy.EXPIRY;
        }
        final List<TimelineEntry> timeline = i.timeline();
        for (int k = timeline.size() - 1; k >= 0; k--) {
            final TimelineEntry t = timeline.get(k);
            if (t.to() == i.status() && t.from() != i.status()) {
                return TimelineEntry.SOURCE_API.equals(t.source()) ? ClosedBy.PERSON : ClosedBy.ALERT;
            }
        }
        return ClosedBy.ALERT;
    }

    private static Instant closedAt(final Incident i) {
        if (i.status().isOpen()) {
            return null;
        }
        return i.status() == Status.RESOLVED && i.resolvedAt() != null ? i.resolvedAt() : i.closedAt();
    }

    private static Map<String, Long> open(final String tenant, final List<PartitionStores> partitions) {
        final Map<String, Long> open = new HashMap<>();
        for (Status status : List.of(Status.ACTIVE, Status.ACKNOWLEDGED)) {
            for (Severity severity : Severity.values()) {
                long n = 0;
                for (PartitionStores p : partitions) {
                    n += p.count(tenant, Set.of(), Set.of(status), Set.of(severity));
                }
                open.put(key(status, severity), n);
            }
        }
        return open;
    }

    static String key(final Status status, final Severity severity) {
        return status.json() + "/" + severity.json();
    }
}
