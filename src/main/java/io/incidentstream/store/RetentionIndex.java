package io.incidentstream.store;

import io.incidentstream.model.Incident;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The closed incidents of a partition by the time they closed ({@link RetentionKeys}), for the
 * retention purge.
 *
 * <p>An incident's {@code closedAt} is its {@code updatedAt} (the resolve, the expiry, any later
 * change while closed), but never later than the processing clock when the processor wrote it.
 * {@code updatedAt} is event time, taken from the alert's {@code checkedAt}: an alert dated a year
 * ahead would otherwise keep its incident for a year past the retention, and nothing bounds how far
 * ahead a producer's clock may be. Clamped, retention counts from when the incident closed as this
 * partition saw it at the latest; for the usual event, checked just before it arrives, that is its
 * own time. A rebuild ({@link #add}) clamps to the clock of the rebuild, so an incident the index
 * never held (closed before an upgrade that introduced it) is purged a retention after the rebuild
 * at the latest.
 */
final class RetentionIndex {
    private static final byte[] EMPTY = new byte[0];

    private final KeyValueStore<Bytes, byte[]> store;
    /** No entry before this time (epoch millis) is left to purge; in memory, for this task's lifetime. */
    private long purgedBefore = Long.MIN_VALUE;

    RetentionIndex(final KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    /**
     * Keeps the entry of an incident whose listing changed: none while it is open, else at its
     * {@code closedAt}, replacing the entry it had.
     */
    void update(final Incident before, final Incident after, final long nowMillis) {
        if (after.status().isOpen()) {
            if (before != null && !before.status().isOpen()) {
                remove(after.id());
            }
            return;
        }
        final long closedAt = closedAt(after, nowMillis);
        final Bytes byId = RetentionKeys.byId(after.id());
        final byte[] previous = before == null || before.status().isOpen() ? null : store.get(byId);
        if (previous != null) {
            final long previousAt = RetentionKeys.time(previous);
            if (previousAt == closedAt) {
                return;
            }
            IncidentStores.remove(store, RetentionKeys.entry(previousAt, after.id()));
        }
        store.put(RetentionKeys.entry(closedAt, after.id()), EMPTY);
        store.put(byId, RetentionKeys.time(closedAt));
        purgedBefore = Math.min(purgedBefore, closedAt);
    }

    /** Removes an incident's entry, if it has one. */
    void remove(final String id) {
        final Bytes byId = RetentionKeys.byId(id);
        final byte[] at = store.get(byId);
        if (at != null) {
            IncidentStores.remove(store, RetentionKeys.entry(RetentionKeys.time(at), id));
            IncidentStores.remove(store, byId);
        }
    }

    /** Adds the entry of an incident to an index being rebuilt (an open one has none). */
    void add(final Incident incident, final long nowMillis, final StoreBatch batch) {
        if (!incident.status().isOpen()) {
            final long closedAt = closedAt(incident, nowMillis);
            batch.put(RetentionKeys.entry(closedAt, incident.id()), EMPTY);
            batch.put(RetentionKeys.byId(incident.id()), RetentionKeys.time(closedAt));
        }
    }

    /** The index was cleared and is being rebuilt: the purge starts from its beginning again. */
    void rewind() {
        purgedBefore = Long.MIN_VALUE;
    }

    /**
     * Closed incidents that closed before {@code cutoff}, oldest first, at most {@code max}: a range
     * over the entries, so the cost is O(returned), whatever the store holds. The caller purges them.
     */
    List<Incident> closedBefore(final Instant cutoff, final int max, final Function<String, Incident> incidents) {
        final long cutoffMillis = cutoff.toEpochMilli();
        final List<Incident> closed = new ArrayList<>();
        final List<Bytes> orphans = new ArrayList<>();
        long last = Long.MIN_VALUE;
        int read = 0;
        try (KeyValueIterator<Bytes, byte[]> it =
                store.range(RetentionKeys.from(purgedBefore), RetentionKeys.closedBefore(cutoffMillis))) {
            while (it.hasNext() && read < max) {
                final Bytes entry = it.next().key;
                read++;
                last = RetentionKeys.timeOf(entry.get());
                final Incident incident = incidents.apply(RetentionKeys.idOf(entry.get()));
                if (incident == null) {
                    orphans.add(entry);
                } else {
                    closed.add(incident);
                }
            }
        }
        // An entry whose incident is gone is never purged by a delete; drop it here.
        for (Bytes orphan : orphans) {
            IncidentStores.remove(store, orphan);
            IncidentStores.remove(store, RetentionKeys.byId(RetentionKeys.idOf(orphan.get())));
        }
        // The next call starts at the last time seen (as the expiry sweep does), instead of walking
        // RocksDB's tombstones of every entry ever purged.
        purgedBefore = read < max ? Math.max(purgedBefore, cutoffMillis) : last;
        return closed;
    }

    static long closedAt(final Incident incident, final long nowMillis) {
        return Math.min(incident.updatedAt().toEpochMilli(), nowMillis);
    }
}
