package io.incidentstream.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentId;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Source;
import io.incidentstream.model.Status;
import io.incidentstream.store.CursorCodec;
import io.incidentstream.store.InMemoryStores;
import io.incidentstream.store.IncidentSerde;
import io.incidentstream.store.IncidentStore;
import io.incidentstream.store.IndexedLabels;
import io.incidentstream.store.PartitionStores;
import io.incidentstream.store.StoreAccess;
import io.incidentstream.testkit.RandomEnums;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a list costs in store reads, counted on the stores the query side reads: the filters on
 * {@code alertId} and {@code alertTemplateId} read their own index ranges, and {@code includeCount}
 * reads the kept counts or at most a bounded walk, however many incidents the partitions hold.
 * {@code -Dlist.cost.report=true} prints each measurement.
 */
class ListCostTest {
    private static final int PARTITIONS = 3;
    private static final int SMALL = 12_000;
    /** Incidents per alert: each alert opened this many over the retention. */
    private static final int HISTORY = 3;

    private static final Instant BASE = Instant.parse("2026-03-01T00:00:00Z");
    private final InMemoryStores stores = new InMemoryStores();
    private final AtomicLong entries = new AtomicLong();
    private final AtomicLong gets = new AtomicLong();
    private final List<PartitionStores> partitions = new ArrayList<>();
    private int size;

    @AfterEach
    void close() {
        stores.close();
    }

    private static final IndexedLabels INDEXED = IndexedLabels.of(List.of("service"));
    private static final int BUDGET = 500;

    /** What one local page read: list-index entries (counts included) and primary-store gets. */
    private record Cost(long entries, long gets, LocalPage page) {}

    private Cost cost(final String query, final int countScanLimit) {
        entries.set(0);
        gets.set(0);
        final LocalPage page = new LocalIncidentQueries(
                        access(), ClusterFixture.CURSORS, INDEXED, BUDGET, countScanLimit)
                .page(ClusterFixture.query(query));
        final Cost cost = new Cost(entries.get(), gets.get(), page);
        if (Boolean.getBoolean("list.cost.report")) {
            System.out.printf(
                    "COST n=%d %-70s entries=%d gets=%d data=%d count=%s exact=%s%n",
                    size, query, cost.entries(), cost.gets(), page.data().size(), page.count(), page.countExact());
        }
        return cost;
    }

    private Cost cost(final String query) {
        return cost(query, LocalIncidentQueries.COUNT_SCAN_LIMIT);
    }

    /**
     * The same query on a store four times the size reads about as much (the data differs a little,
     * and with it where each range's first entry falls): a walk over the matches would read four
     * times as much.
     */
    private void assertAboutTheSameCostAtFourTimesTheSize(final String query) {
        fill(SMALL);
        final Cost small = cost(query);
        fill(4 * SMALL);
        final Cost large = cost(query);
        assertTrue(
                large.entries() <= small.entries() * 3 / 2 + 8,
                query + ": index entries read " + small.entries() + " then " + large.entries());
        assertTrue(
                large.gets() <= small.gets() * 3 / 2 + 8,
                query + ": incidents read " + small.gets() + " then " + large.gets());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "alertId=alert-7&limit=20",
                "alertId=no-such-alert&limit=20",
                "alertId=alert-7&status=ACTIVE&includeCount=true&limit=20",
                "alertTemplateId=no-such-template&limit=20",
                "alertTemplateId=template-3&status=ACTIVE&limit=20",
                "alertTemplateId=template-3&limit=20&sort=updatedAt&order=asc",
                "label=service=svc-7&limit=20",
                "label=service=svc-7&status=RESOLVED,EXPIRED&limit=20&sort=updatedAt&order=asc",
                "status=ACTIVE&severity=critical&limit=1&includeCount=true",
                "limit=1&includeCount=true",
                "source=manual&status=RESOLVED&limit=1&includeCount=true&sort=updatedAt"
            })
    void shouldReadAboutAsMuchWhateverTheStoreHolds(final String query) {
        assertAboutTheSameCostAtFourTimesTheSize(query);
    }

    @Test
    void shouldReadAboutOnePageOfEntriesForAnIndexedLabelAtAnyDepth() {
        fill(4 * SMALL);
        final Cost first = cost("label=service=svc-7&limit=20");
        assertEquals(21, first.page().data().size());
        // one head per range (4 statuses x 4 severities per partition) beyond the page itself
        assertTrue(first.entries() <= 21 + 4L * 4 * PARTITIONS, "entries read: " + first.entries());
        assertEquals(21, first.gets(), "only the incidents shown");
        final Incident last = first.page().data().get(19);
        final String token = ClusterFixture.CURSORS.encode(
                ClusterFixture.query("label=service=svc-7&limit=20").canonical(),
                new CursorCodec.Position(last.createdAt().toEpochMilli(), last.id()));
        final Cost deeper = cost("label=service=svc-7&limit=20&nextToken=" + token);
        assertEquals(21, deeper.page().data().size());
        assertTrue(deeper.entries() <= 21 + 4L * 4 * PARTITIONS, "entries read: " + deeper.entries());
    }

    @Test
    void shouldNeverReadMoreThanTheBudgetForMatchersTheIndexCannotAnswer() {
        fill(4 * SMALL);
        for (String query : List.of(
                "label=region=~eu-[12]&label=service=~svc-(3|4)&limit=100",
                "label=region=eu-9&limit=20",
                "label=service!=svc-1&label=region!~eu-.*&limit=20&sort=updatedAt")) {
            final Cost cost = cost(query);
            // the budget counts the entries the page consumes; the merge holds one more head per range
            assertTrue(cost.entries() <= BUDGET + PARTITIONS, query + ": entries read " + cost.entries());
            assertTrue(cost.page().data().size() <= 100, query);
            assertNotNull(cost.page().scannedTo(), query + ": the scan ran out of budget and says where");
        }
    }

    @Test
    void shouldReadOnlyTheAlertsOwnIncidentsForAnAlertIdFilter() {
        fill(4 * SMALL);
        final Cost cost = cost("alertId=alert-7&limit=20&includeCount=true");
        assertEquals(HISTORY, cost.page().data().size());
        assertEquals(HISTORY, cost.page().count());
        assertEquals(2 * HISTORY, cost.entries(), "the alert's entries, once for the page and once to count");
        assertEquals(HISTORY, cost.gets(), "each of its incidents, read once for the page");
    }

    @Test
    void shouldReadAboutOnePageOfEntriesForATemplateFilter() {
        fill(4 * SMALL);
        final Cost cost = cost("alertTemplateId=template-3&status=ACTIVE,ACKNOWLEDGED&limit=20");
        assertEquals(21, cost.page().data().size());
        // one head per range (2 statuses x 4 severities per partition) beyond the page itself
        assertTrue(cost.entries() <= 21 + 2L * 4 * PARTITIONS, "entries read: " + cost.entries());
        assertEquals(21, cost.gets(), "only the incidents shown");
    }

    @Test
    void shouldCountByStatusSeveritySourceFromTheKeptCountsWithoutReadingIncidents() {
        fill(4 * SMALL);
        final Cost cost = cost("source=automated&status=ACTIVE,RESOLVED&severity=low&limit=1&includeCount=true");
        assertEquals(true, cost.page().countExact());
        // a tenant has at most 2 sources x 4 statuses x 4 severities counts per partition
        assertTrue(cost.entries() <= 32L * PARTITIONS + 10, "entries read: " + cost.entries());
        assertTrue(cost.gets() < 10, "the page's incidents, and the few its source check skips: " + cost.gets());
    }

    @Test
    void shouldStopCountingAtTheLimitPerPartitionAndSaySo() {
        fill(SMALL);
        final String query = "createdAfter=2026-03-01T00:10:00Z&limit=1&includeCount=true";
        final Cost exact = cost(query);
        assertEquals(true, exact.page().countExact());
        final Cost bounded = cost(query, 100);
        assertEquals(false, bounded.page().countExact(), "a lower bound, and said to be one");
        assertEquals(100L * PARTITIONS, bounded.page().count());
        assertTrue(bounded.page().count() < exact.page().count());
        assertTrue(bounded.entries() <= 101L * PARTITIONS + 10, "entries read: " + bounded.entries());
    }

    /**
     * {@code n} incidents of {@link ClusterFixture#TENANT} over the partitions: {@code n / HISTORY}
     * alerts with {@link #HISTORY} incidents each (all on the alert's partition), 40 templates, 80%
     * closed, 5% manual.
     */
    private void fill(final int n) {
        partitions.clear();
        size = n;
        final Random random = new Random(3);
        final List<IncidentStore> writers = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            final KeyValueStore<String, Incident> incidents =
                    stores.create("incidents-" + n + p, Serdes.String(), IncidentSerde.serde());
            final KeyValueStore<Bytes, byte[]> index =
                    stores.create("index-" + n + p, Serdes.Bytes(), Serdes.ByteArray());
            final KeyValueStore<String, byte[]> results =
                    stores.create("results-" + n + p, Serdes.String(), Serdes.ByteArray());
            partitions.add(
                    new PartitionStores(p, counting(incidents, gets, null), counting(index, null, entries), results));
            writers.add(new IncidentStore(
                    incidents,
                    stores.create("by-alert-" + n + p, Serdes.String(), Serdes.String()),
                    index,
                    stores.create("expiry-" + n + p, Serdes.Bytes(), Serdes.ByteArray()),
                    stores.create("retention-" + n + p, Serdes.Bytes(), Serdes.ByteArray()),
                    stores.create("counters-" + n + p, Serdes.String(), Serdes.Long()),
                    results,
                    System::currentTimeMillis,
                    INDEXED));
        }
        final long[] seq = new long[PARTITIONS];
        for (int i = 0; i < n; i++) {
            final int alert = i % (n / HISTORY);
            final int p = alert % PARTITIONS;
            final int r = random.nextInt(100);
            final Status status =
                    r < 15 ? Status.ACTIVE : r < 20 ? Status.ACKNOWLEDGED : r < 60 ? Status.RESOLVED : Status.EXPIRED;
            final Instant created = BASE.plusSeconds(i);
            writers.get(p)
                    .save(
                            null,
                            ClusterFixture.incident(IncidentId.of(p, ++seq[p]), ClusterFixture.TENANT)
                                    .alertId("alert-" + alert)
                                    .alertTemplateId("template-" + alert % 40)
                                    .status(status)
                                    .severity(RandomEnums.pick(random, Severity.class))
                                    .source(random.nextInt(20) == 0 ? Source.MANUAL : Source.AUTOMATED)
                                    .createdAt(created)
                                    .updatedAt(created.plusSeconds(random.nextInt(600)))
                                    .validUntil(created.plus(Duration.ofMinutes(5)))
                                    // service: 1 % of the incidents each; region: a quarter each, not indexed
                                    .labels(Map.of("service", "svc-" + i % 100, "region", "eu-" + i % 4))
                                    .build());
        }
    }

    private StoreAccess access() {
        return new StoreAccess() {
            @Override
            public List<PartitionStores> activePartitions() {
                return partitions;
            }

            @Override
            public Optional<PartitionStores> partition(final int partition) {
                return Optional.of(partitions.get(partition));
            }

            @Override
            public int partitionCount() {
                return PARTITIONS;
            }
        };
    }

    private static <K, V> ReadOnlyKeyValueStore<K, V> counting(
            final ReadOnlyKeyValueStore<K, V> delegate, final AtomicLong gets, final AtomicLong entries) {
        return new ReadOnlyKeyValueStore<>() {
            @Override
            public V get(final K key) {
                if (gets != null) {
                    gets.incrementAndGet();
                }
                return delegate.get(key);
            }

            @Override
            public KeyValueIterator<K, V> range(final K from, final K to) {
                return counted(delegate.range(from, to));
            }

            @Override
            public KeyValueIterator<K, V> reverseRange(final K from, final K to) {
                return counted(delegate.reverseRange(from, to));
            }

            @Override
            public KeyValueIterator<K, V> all() {
                return counted(delegate.all());
            }

            @Override
            public long approximateNumEntries() {
                return delegate.approximateNumEntries();
            }

            private KeyValueIterator<K, V> counted(final KeyValueIterator<K, V> it) {
                return new KeyValueIterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public KeyValue<K, V> next() {
                        if (entries != null) {
                            entries.incrementAndGet();
                        }
                        return it.next();
                    }

                    @Override
                    public K peekNextKey() {
                        return it.peekNextKey();
                    }

                    @Override
                    public void close() {
                        it.close();
                    }
                };
            }
        };
    }
}
