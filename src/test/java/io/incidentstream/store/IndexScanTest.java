package io.incidentstream.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.model.IncidentId;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IndexScanTest {
    private static final String TENANT = "acme";
    private static final IndexKeys.Order SORT = IndexKeys.Order.CREATED_AT;
    private static final byte[] ACTIVE = IndexKeys.prefix(TENANT, SORT, Status.ACTIVE, null);
    private static final byte[] RESOLVED = IndexKeys.prefix(TENANT, SORT, Status.RESOLVED, null);
    private static final long BASE = 1_767_225_600_000L;
    private static final int PARTITIONS = 3;

    private final List<KeyValueStore<Bytes, byte[]>> stores = new ArrayList<>();
    private final List<PartitionStores> partitions = new ArrayList<>();
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    /** Every ACTIVE and RESOLVED entry put, as (partition, time, id). */
    private final List<IndexEntry> active = new ArrayList<>();

    private final List<IndexEntry> resolved = new ArrayList<>();

    @BeforeEach
    void fillThreePartitions() {
        final Random random = new Random(7);
        for (int p = 0; p < PARTITIONS; p++) {
            final KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(
                            Stores.inMemoryKeyValueStore("index-" + p), Serdes.Bytes(), Serdes.ByteArray())
                    .withLoggingDisabled()
                    .build();
            store.init(new MockProcessorContext<>().getStateStoreContext(), store);
            stores.add(store);
            partitions.add(new PartitionStores(p, null, new CountingStore(store), null));
            for (int seq = 1; seq <= 40; seq++) {
                // few distinct times, so that many entries tie on time and the id decides; some negative
                final long time = BASE * (seq % 9 == 0 ? -1 : 1) + random.nextInt(12) * 1000L;
                final String id = IncidentId.of(p, seq);
                final boolean isActive = random.nextBoolean();
                put(p, isActive ? ACTIVE : RESOLVED, time, id);
                (isActive ? active : resolved).add(new IndexEntry(p, time, id));
                // noise that no scan below may return: other families and a tenant sharing the prefix "acme"
                put(p, IndexKeys.prefix(TENANT, SORT, null, null), time, id);
                put(p, IndexKeys.prefix(TENANT, IndexKeys.Order.UPDATED_AT, Status.ACTIVE, null), time, id);
                put(p, IndexKeys.prefix(TENANT, SORT, Status.ACTIVE, Severity.HIGH), time, id);
                put(p, IndexKeys.prefix("acme2", SORT, Status.ACTIVE, null), time, "incident." + p + ".x" + seq);
            }
        }
    }

    @AfterEach
    void closeStores() {
        stores.forEach(KeyValueStore::close);
    }

    private void put(final int partition, final byte[] prefix, final long time, final String id) {
        stores.get(partition).put(Bytes.wrap(IndexKeys.key(prefix, time, id)), new byte[0]);
    }

    private static List<IndexEntry> sorted(final List<IndexEntry> entries, final boolean descending) {
        final Comparator<IndexEntry> asc =
                Comparator.comparingLong(IndexEntry::time).thenComparing(IndexEntry::id);
        final List<IndexEntry> out = new ArrayList<>(entries);
        out.sort(descending ? asc.reversed() : asc);
        return out;
    }

    private static ScanRange range(final List<byte[]> prefixes, final boolean descending, final IndexEntry after) {
        return new ScanRange(
                prefixes,
                Long.MIN_VALUE,
                Long.MAX_VALUE,
                descending,
                after == null ? null : after.time(),
                after == null ? null : after.id());
    }

    private List<IndexEntry> scan(final ScanRange range, final int limit) {
        final List<IndexEntry> out = new ArrayList<>();
        try (IndexScan scan = new IndexScan(partitions, range)) {
            while (scan.hasNext() && out.size() < limit) {
                out.add(scan.next());
            }
        }
        return out;
    }

    @Test
    void shouldMergePartitionsInAscendingTimeThenIdOrder() {
        assertEquals(sorted(active, false), scan(range(List.of(ACTIVE), false, null), Integer.MAX_VALUE));
    }

    @Test
    void shouldMergePartitionsInDescendingTimeThenIdOrder() {
        final List<IndexEntry> expected = sorted(active, false);
        Collections.reverse(expected);
        assertEquals(expected, scan(range(List.of(ACTIVE), true, null), Integer.MAX_VALUE));
    }

    @Test
    void shouldReportThePartitionEachEntryCameFrom() {
        for (IndexEntry e : scan(range(List.of(ACTIVE), false, null), Integer.MAX_VALUE)) {
            assertEquals(IncidentId.partitionOf(e.id()), e.partition(), e.id());
        }
    }

    @Test
    void shouldMergeSeveralPrefixesIntoOneOrder() {
        final List<IndexEntry> both = new ArrayList<>(active);
        both.addAll(resolved);
        assertEquals(sorted(both, false), scan(range(List.of(ACTIVE, RESOLVED), false, null), Integer.MAX_VALUE));
        assertEquals(sorted(both, true), scan(range(List.of(RESOLVED, ACTIVE), true, null), Integer.MAX_VALUE));
    }

    @Test
    void shouldContinueAfterCursorWithExactlyTheRest() {
        for (boolean descending : new boolean[] {false, true}) {
            final List<IndexEntry> all = sorted(active, descending);
            for (int k : new int[] {1, 5, 17, all.size() - 1, all.size()}) {
                final IndexEntry last = all.get(k - 1);
                final List<IndexEntry> rest = scan(range(List.of(ACTIVE), descending, last), Integer.MAX_VALUE);
                assertEquals(all.subList(k, all.size()), rest, "descending=" + descending + " k=" + k);
            }
        }
    }

    @Test
    void shouldPageThroughEverythingWithoutRepeatOrSkip() {
        for (boolean descending : new boolean[] {false, true}) {
            final List<IndexEntry> pages = new ArrayList<>();
            IndexEntry after = null;
            for (int page = 0; page < 100; page++) {
                final List<IndexEntry> items = scan(range(List.of(ACTIVE, RESOLVED), descending, after), 7);
                if (items.isEmpty()) {
                    break;
                }
                pages.addAll(items);
                after = items.get(items.size() - 1);
            }
            final List<IndexEntry> both = new ArrayList<>(active);
            both.addAll(resolved);
            assertEquals(sorted(both, descending), pages);
            assertEquals(pages.size(), new HashSet<>(pages).size());
        }
    }

    @Test
    void shouldHonourTimeBoundsFromInclusiveToExclusive() {
        final long from = BASE + 3000;
        final long to = BASE + 8000;
        final List<IndexEntry> expected = sorted(
                active.stream().filter(e -> e.time() >= from && e.time() < to).toList(), false);
        assertFalse(expected.isEmpty());
        assertEquals(expected, scan(new ScanRange(List.of(ACTIVE), from, to, false, null, null), Integer.MAX_VALUE));
        assertEquals(
                sorted(expected, true),
                scan(new ScanRange(List.of(ACTIVE), from, to, true, null, null), Integer.MAX_VALUE));
        assertTrue(scan(new ScanRange(List.of(ACTIVE), to, from, false, null, null), Integer.MAX_VALUE)
                .isEmpty());
    }

    @Test
    void shouldReturnNothingAfterTheLastEntry() {
        final List<IndexEntry> all = sorted(active, false);
        try (IndexScan scan = new IndexScan(partitions, range(List.of(ACTIVE), false, all.get(all.size() - 1)))) {
            assertFalse(scan.hasNext());
            assertThrows(NoSuchElementException.class, scan::next);
        }
    }

    @Test
    void shouldCloseEveryUnderlyingIteratorEvenWhenNotDrained() {
        for (int n = 0; n < 2_000; n++) {
            assertEquals(
                    3,
                    scan(range(List.of(ACTIVE, RESOLVED), n % 2 == 0, null), 3).size());
        }
        assertTrue(opened.get() >= 2_000 * PARTITIONS, "one iterator per partition and prefix: " + opened.get());
        assertEquals(opened.get(), closed.get(), "iterators left open");
    }

    /** Delegates to a real store and counts the iterators it hands out and those closed. */
    private final class CountingStore implements ReadOnlyKeyValueStore<Bytes, byte[]> {
        private final ReadOnlyKeyValueStore<Bytes, byte[]> delegate;

        CountingStore(final ReadOnlyKeyValueStore<Bytes, byte[]> delegate) {
            this.delegate = delegate;
        }

        @Override
        public byte[] get(final Bytes key) {
            return delegate.get(key);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> range(final Bytes from, final Bytes to) {
            return counted(delegate.range(from, to));
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> reverseRange(final Bytes from, final Bytes to) {
            return counted(delegate.reverseRange(from, to));
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> all() {
            return counted(delegate.all());
        }

        @Override
        public long approximateNumEntries() {
            return delegate.approximateNumEntries();
        }

        private KeyValueIterator<Bytes, byte[]> counted(final KeyValueIterator<Bytes, byte[]> it) {
            opened.incrementAndGet();
            return new KeyValueIterator<>() {
                private boolean done;

                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public KeyValue<Bytes, byte[]> next() {
                    return it.next();
                }

                @Override
                public Bytes peekNextKey() {
                    return it.peekNextKey();
                }

                @Override
                public void close() {
                    if (!done) {
                        done = true;
                        closed.incrementAndGet();
                    }
                    it.close();
                }
            };
        }
    }
}
