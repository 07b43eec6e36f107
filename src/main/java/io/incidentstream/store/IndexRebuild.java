package io.incidentstream.store;

import io.incidentstream.model.Incident;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A rebuild of one partition's derived stores (list index and its counts, expiry, retention) from its
 * incidents, in slices bounded by count and time, so that a large partition never holds the stream
 * thread past {@code max.poll.interval.ms}: the processor runs one slice per punctuation and folds
 * events in between.
 *
 * <p>Two phases, each with a resumable cursor: first the derived stores are emptied (key by key, from
 * where the last slice stopped), then the incidents are walked in key order and indexed. Meanwhile
 * {@link IncidentStore#save} maintains the derived stores only for incidents the walk has passed
 * ({@link #passed}); one it has not reached yet is written to the incidents store alone and indexed,
 * in its state at that time, when the walk gets there. So no incident is indexed or counted twice, or
 * not at all, whatever arrives during the rebuild: a new incident whose id sorts before the cursor is
 * indexed by its save, one after it by the walk; a deleted one the walk has not reached is simply not
 * found.
 */
final class IndexRebuild {
    private static final byte[] EMPTY = new byte[0];

    private final KeyValueStore<String, Incident> incidents;
    private final KeyValueStore<Bytes, byte[]> index;
    private final KeyValueStore<Bytes, byte[]> expiry;
    private final KeyValueStore<Bytes, byte[]> retentionStore;
    private final RetentionIndex retention;
    private final IndexedLabels indexedLabels;
    private final LongSupplier clock;
    private final List<KeyValueStore<Bytes, byte[]>> toClear;

    /** The derived store being emptied (an index into {@link #toClear}); past the end: walking the incidents. */
    private int clearing;
    /** The last key of {@link #toClear}'s current store deleted, or null to start at its beginning. */
    private Bytes clearedTo;
    /** The last incident indexed (its key as stored), or null before the first. */
    private byte[] cursor;

    private boolean done;
    private long indexed;

    IndexRebuild(
            final KeyValueStore<String, Incident> incidents,
            final KeyValueStore<Bytes, byte[]> index,
            final KeyValueStore<Bytes, byte[]> expiry,
            final KeyValueStore<Bytes, byte[]> retentionStore,
            final RetentionIndex retention,
            final IndexedLabels indexedLabels,
            final LongSupplier clock) {
        this.incidents = incidents;
        this.index = index;
        this.expiry = expiry;
        this.retentionStore = retentionStore;
        this.retention = retention;
        this.indexedLabels = indexedLabels;
        this.clock = clock;
        this.toClear = List.of(index, expiry, retentionStore);
    }

    /**
     * Whether the derived stores already hold (and so must be kept up to date for) the incident with
     * this id: it lies at or before the cursor of the walk over the incidents. Keys compare as RocksDB
     * orders them, by their UTF-8 bytes, unsigned.
     */
    boolean passed(final String id) {
        if (done) {
            return true;
        }
        return cursor != null && Arrays.compareUnsigned(utf8(id), cursor) <= 0;
    }

    boolean done() {
        return done;
    }

    /** Incidents indexed so far. */
    long indexed() {
        return indexed;
    }

    /**
     * Runs one slice: at most {@code maxEntries} keys read (deleted or indexed), and no further once
     * {@code deadlineNanos} ({@link System#nanoTime}) has passed.
     *
     * @return whether the rebuild is complete
     */
    boolean step(final int maxEntries, final long deadlineNanos) {
        int budget = maxEntries;
        while (!done && budget > 0 && System.nanoTime() - deadlineNanos < 0) {
            budget -= clearing < toClear.size() ? clearSlice(budget, deadlineNanos) : indexSlice(budget, deadlineNanos);
        }
        return done;
    }

    /** Deletes up to {@code max} keys of the store being emptied, from where the last slice stopped. */
    private int clearSlice(final int max, final long deadlineNanos) {
        final KeyValueStore<Bytes, byte[]> store = toClear.get(clearing);
        final StoreBatch deletes = new StoreBatch(store);
        int read = 0;
        boolean exhausted = true;
        // RocksDB iterators read a snapshot, so deleting while iterating is safe; starting at the last
        // key deleted, the range never walks the tombstones of the slices before.
        try (KeyValueIterator<Bytes, byte[]> it = store.range(clearedTo, null)) {
            while (it.hasNext()) {
                if (read >= max || System.nanoTime() - deadlineNanos >= 0) {
                    exhausted = false;
                    break;
                }
                final Bytes key = it.next().key;
                read++;
                deletes.put(key, null);
                clearedTo = key;
            }
        }
        deletes.flush();
        if (exhausted) {
            clearing++;
            clearedTo = null;
        }
        return Math.max(read, 1);
    }

    /**
     * Indexes up to {@code max} incidents after the cursor, as {@link IncidentStore#save} would have
     * (the expiry index with one entry per open incident, at its {@code validUntil}); every closed
     * incident gets its retention entry, at most at this slice's clock ({@link RetentionIndex}). The
     * slice's counts are added to the stored ones, which saves of incidents already passed keep moving.
     */
    private int indexSlice(final int max, final long deadlineNanos) {
        final long now = clock.getAsLong();
        final StoreBatch indexBatch = new StoreBatch(index);
        final StoreBatch expiryBatch = new StoreBatch(expiry);
        final StoreBatch retentionBatch = new StoreBatch(retentionStore);
        final Map<Bytes, Long> counts = new HashMap<>();
        final String from = cursor == null ? null : new String(cursor, StandardCharsets.UTF_8);
        int read = 0;
        boolean exhausted = true;
        try (KeyValueIterator<String, Incident> it = incidents.range(from, null)) {
            while (it.hasNext()) {
                if (read >= max || System.nanoTime() - deadlineNanos >= 0) {
                    exhausted = false;
                    break;
                }
                final KeyValue<String, Incident> next = it.next();
                read++;
                final byte[] key = utf8(next.key);
                if (cursor != null && Arrays.compareUnsigned(key, cursor) <= 0) {
                    continue; // the range starts at the cursor, which the last slice indexed
                }
                final Incident incident = next.value;
                for (Bytes entry : IndexKeys.keysOf(incident, indexedLabels)) {
                    indexBatch.put(entry, EMPTY);
                }
                IndexCounts.add(counts, incident);
                expiryBatch.put(ExpiryKeys.keyOf(incident), EMPTY);
                retention.add(incident, now, retentionBatch);
                cursor = key;
                indexed++;
            }
        }
        indexBatch.flush();
        counts.forEach((key, n) -> indexBatch.put(key, IndexCounts.encode(IndexCounts.decode(index.get(key)) + n)));
        indexBatch.flush();
        expiryBatch.flush();
        retentionBatch.flush();
        if (exhausted) {
            done = true;
        }
        return Math.max(read, 1);
    }

    private static byte[] utf8(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
