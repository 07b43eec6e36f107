package io.incidentstream.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * A k-way merge of range scans over the list index: one iterator per (local partition × index
 * family), each already in page order, merged by (time, id). A composite store's range would
 * return partition after partition, not one order; merging keeps a page O(limit · log k) however
 * deep it is. Closing the scan closes every underlying RocksDB iterator.
 */
public final class IndexScan implements AutoCloseable {
    private final List<Source> sources = new ArrayList<>();
    private final PriorityQueue<Source> heap;

    public IndexScan(final List<PartitionStores> partitions, final ScanRange range) {
        final Comparator<Source> ascending =
                Comparator.<Source>comparingLong(s -> s.head.time()).thenComparing(s -> s.head.id());
        heap = new PriorityQueue<>(range.descending() ? ascending.reversed() : ascending);
        try {
            for (PartitionStores p : partitions) {
                for (byte[] prefix : range.prefixes()) {
                    open(p, prefix, range);
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void open(final PartitionStores p, final byte[] prefix, final ScanRange range) {
        if (range.fromMillis() >= range.toMillis()) {
            return;
        }
        byte[] lower = IndexKeys.atTime(prefix, range.fromMillis());
        byte[] upper = IndexKeys.afterTime(prefix, range.toMillis() - 1);
        if (range.hasPosition()) {
            final byte[] position = IndexKeys.key(prefix, range.afterTime(), range.afterId());
            if (range.descending()) {
                upper = min(upper, position);
            } else {
                lower = max(lower, IndexKeys.successor(position));
            }
        }
        if (Arrays.compareUnsigned(lower, upper) > 0) {
            return;
        }
        final KeyValueIterator<Bytes, byte[]> it = range.descending()
                ? p.index().reverseRange(Bytes.wrap(lower), Bytes.wrap(upper))
                : p.index().range(Bytes.wrap(lower), Bytes.wrap(upper));
        final Source source = new Source(
                p.partition(),
                prefix.length,
                it,
                range.hasPosition() ? range.afterId() : null,
                range.hasPosition() ? range.afterTime() : 0);
        sources.add(source);
        if (source.advance()) {
            heap.add(source);
        }
    }

    public boolean hasNext() {
        return !heap.isEmpty();
    }

    public IndexEntry next() {
        final Source top = heap.poll();
        if (top == null) {
            throw new NoSuchElementException();
        }
        final IndexEntry entry = top.head;
        if (top.advance()) {
            heap.add(top);
        }
        return entry;
    }

    @Override
    public void close() {
        for (Source s : sources) {
            s.iterator.close();
        }
        sources.clear();
        heap.clear();
    }

    private static byte[] min(final byte[] a, final byte[] b) {
        return Arrays.compareUnsigned(a, b) <= 0 ? a : b;
    }

    private static byte[] max(final byte[] a, final byte[] b) {
        return Arrays.compareUnsigned(a, b) >= 0 ? a : b;
    }

    /** One underlying iterator and its current entry. */
    private static final class Source {
        private final int partition;
        private final int prefixLength;
        private final KeyValueIterator<Bytes, byte[]> iterator;
        private final String skipId;
        private final long skipTime;
        private IndexEntry head;

        Source(
                final int partition,
                final int prefixLength,
                final KeyValueIterator<Bytes, byte[]> iterator,
                final String skipId,
                final long skipTime) {
            this.partition = partition;
            this.prefixLength = prefixLength;
            this.iterator = iterator;
            this.skipId = skipId;
            this.skipTime = skipTime;
        }

        /** Moves to the next entry, skipping the cursor's own entry (a reverse range includes its upper bound). */
        boolean advance() {
            while (iterator.hasNext()) {
                final KeyValue<Bytes, byte[]> kv = iterator.next();
                final byte[] key = kv.key.get();
                final long time = IndexKeys.timeOf(key, prefixLength);
                final String id = IndexKeys.idOf(key, prefixLength);
                if (skipId != null && time == skipTime && skipId.equals(id)) {
                    continue;
                }
                head = new IndexEntry(partition, time, id);
                return true;
            }
            head = null;
            return false;
        }
    }
}
