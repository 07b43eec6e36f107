package io.incidentstream.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.codec.JsonSerde;
import io.incidentstream.model.AlertKey;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentId;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Source;
import io.incidentstream.model.Status;
import io.incidentstream.testkit.RandomEnums;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The single write path and the expiry range of {@link IncidentStore}, over real in-memory stores. */
class IncidentStoreTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private final InMemoryStores stores = new InMemoryStores();
    private final AtomicInteger incidentGets = new AtomicInteger();
    private final AtomicInteger expiryEntriesRead = new AtomicInteger();
    private final KeyValueStore<String, Incident> incidents =
            counting(store("incidents", Serdes.String(), JsonSerde.of(Incident.class)), incidentGets, null);
    private final KeyValueStore<String, String> byAlert = store("by-alert", Serdes.String(), Serdes.String());
    private final KeyValueStore<Bytes, byte[]> index = store("index", Serdes.Bytes(), Serdes.ByteArray());
    private final KeyValueStore<Bytes, byte[]> expiry =
            counting(store("expiry", Serdes.Bytes(), Serdes.ByteArray()), null, expiryEntriesRead);
    private final KeyValueStore<Bytes, byte[]> retention = store("retention", Serdes.Bytes(), Serdes.ByteArray());
    /** The processing clock, a day after T unless a test moves it. */
    private final AtomicLong clock = new AtomicLong(T.plus(Duration.ofDays(1)).toEpochMilli());

    private final IncidentStore store = new IncidentStore(
            incidents,
            byAlert,
            index,
            expiry,
            retention,
            store("sequence", Serdes.String(), Serdes.Long()),
            store("results", Serdes.String(), Serdes.ByteArray()),
            clock::get);

    @AfterEach
    void close() {
        stores.close();
    }

    private <K, V> KeyValueStore<K, V> store(final String name, final Serde<K> keys, final Serde<V> values) {
        return stores.create(name, keys, values);
    }

    /** Counts put() and delete() calls, delegating everything. */
    @SuppressWarnings("unchecked")
    private static <K, V> KeyValueStore<K, V> writeCounting(
            final KeyValueStore<K, V> delegate, final AtomicInteger writes) {
        final InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("put") || method.getName().equals("delete")) {
                writes.incrementAndGet();
            }
            return invoke(delegate, method, args);
        };
        return (KeyValueStore<K, V>) Proxy.newProxyInstance(
                IncidentStoreTest.class.getClassLoader(), new Class<?>[] {KeyValueStore.class}, handler);
    }

    /** Counts get() calls and entries read through iterators, delegating everything else. */
    @SuppressWarnings("unchecked")
    private static <K, V> KeyValueStore<K, V> counting(
            final KeyValueStore<K, V> delegate, final AtomicInteger gets, final AtomicInteger entries) {
        final InvocationHandler handler = (proxy, method, args) -> {
            if (gets != null && method.getName().equals("get")) {
                gets.incrementAndGet();
            }
            final Object result = invoke(delegate, method, args);
            return result instanceof KeyValueIterator && entries != null
                    ? countingIterator((KeyValueIterator<?, ?>) result, entries)
                    : result;
        };
        return (KeyValueStore<K, V>) Proxy.newProxyInstance(
                IncidentStoreTest.class.getClassLoader(), new Class<?>[] {KeyValueStore.class}, handler);
    }

    private static Object countingIterator(final KeyValueIterator<?, ?> it, final AtomicInteger entries) {
        return Proxy.newProxyInstance(
                IncidentStoreTest.class.getClassLoader(),
                new Class<?>[] {KeyValueIterator.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("next")) {
                        entries.incrementAndGet();
                    }
                    return invoke(it, method, args);
                });
    }

    private static Object invoke(final Object target, final java.lang.reflect.Method method, final Object[] args)
            throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Incident incident(
            final String id, final String alertId, final Status status, final Instant validUntil) {
        return new Incident.Builder()
                .id(id)
                .tenantId("acme")
                .alertId(alertId)
                .alertVersion(1)
                .alertTemplateId("disk-full")
                .status(status)
                .severity(Severity.HIGH)
                .source(Source.AUTOMATED)
                .createdAt(T)
                .updatedAt(T)
                .lastCheckedAt(T)
                .validUntil(validUntil)
                .alertCount(1)
                .build();
    }

    private static <K, V> int size(final KeyValueStore<K, V> s) {
        int n = 0;
        try (KeyValueIterator<K, V> it = s.all()) {
            for (; it.hasNext(); it.next()) {
                n++;
            }
        }
        return n;
    }

    /** The list entries of the index store, without the counts kept beside them. */
    private static int listEntries(final KeyValueStore<Bytes, byte[]> index) {
        return (int) keys(index).stream().filter(k -> !IndexCounts.isCount(k)).count();
    }

    private static <K, V> List<K> keys(final KeyValueStore<K, V> s) {
        final List<K> keys = new java.util.ArrayList<>();
        try (KeyValueIterator<K, V> it = s.all()) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }

    /**
     * The indexes are not changelogged: a task that cannot trust them rebuilds them from the
     * incidents, and must get what the incremental writes left (the expiry index without the stale
     * entries the lazy scheme keeps), whatever stale or missing entries it started from.
     */
    @Test
    void shouldRebuildTheIndexesTheIncrementalWritesLeft() {
        final java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        final java.util.Map<String, Incident> current = new java.util.HashMap<>();
        for (int n = 0; n < 2_000; n++) {
            final String id = IncidentId.of(0, random.nextInt(300) + 1);
            final Incident before = current.get(id);
            final Instant at = T.plusSeconds(n);
            if (before != null && random.nextInt(20) == 0) {
                store.delete(before);
                current.remove(id);
                continue;
            }
            final Status status = RandomEnums.pick(random, Status.class);
            final Incident after = (before == null
                    ? incident(id, "a" + id, status, at.plusSeconds(60))
                    : before.toBuilder()
                            .status(status)
                            .severity(RandomEnums.pick(random, Severity.class))
                            .updatedAt(random.nextBoolean() ? at : before.updatedAt())
                            .validUntil(
                                    random.nextBoolean() ? at.plusSeconds(random.nextInt(600)) : before.validUntil())
                            .build());
            store.save(before, after);
            current.put(id, after);
        }
        store.dueBefore(T.plusSeconds(1_000), 10_000);
        final List<Bytes> indexBefore = keys(index);
        final List<Bytes> retentionBefore = keys(retention);
        // stale and missing entries, as a crash could leave them
        index.put(Bytes.wrap(new byte[] {'a', 'c', 'm', 'e', 0, 1, 2}), new byte[0]);
        retention.delete(retentionBefore.get(0));
        expiry.put(ExpiryKeys.keyOf(incident("incident.0.zz", "gone", Status.ACTIVE, T)), new byte[0]);

        assertEquals(current.size(), store.rebuildIndexes());
        assertEquals(indexBefore, keys(index));
        assertEquals(retentionBefore, keys(retention));
        final List<Bytes> expected = current.values().stream()
                .map(ExpiryKeys::keyOf)
                .filter(java.util.Objects::nonNull)
                .sorted()
                .toList();
        assertEquals(expected, keys(expiry), "one expiry entry per open incident, at its validUntil");
        final Set<String> due = new HashSet<>();
        current.values().stream()
                .filter(i -> i.status().isOpen() && i.validUntil().isBefore(T.plusSeconds(3_000)))
                .forEach(i -> due.add(i.id()));
        assertEquals(
                due,
                new HashSet<>(store.dueBefore(T.plusSeconds(3_000), 10_000).stream()
                        .map(Incident::id)
                        .toList()));
    }

    @Test
    void shouldReadOnlyTheDueEntriesWhenFindingExpiredIncidents() {
        final Set<String> due = new HashSet<>();
        for (int n = 0; n < 10_000; n++) {
            final boolean isDue = n % 1_000 == 3;
            final String id = IncidentId.of(0, n + 1);
            store.save(
                    null,
                    incident(id, "a" + n, Status.ACTIVE, isDue ? T.plusSeconds(10 + n / 1_000) : T.plusSeconds(3_600)));
            if (isDue) {
                due.add(id);
            }
        }
        incidentGets.set(0);
        expiryEntriesRead.set(0);
        final List<Incident> found = store.dueBefore(T.plusSeconds(30), 1_000);
        assertEquals(due, new HashSet<>(found.stream().map(Incident::id).toList()));
        for (int k = 1; k < found.size(); k++) {
            assertTrue(found.get(k - 1).validUntil().isBefore(found.get(k).validUntil()), "earliest first");
        }
        assertEquals(10, incidentGets.get(), "one primary-store read per due incident");
        assertEquals(10, expiryEntriesRead.get(), "the expiry range must stop at now, not walk every open incident");
    }

    @Test
    void shouldReturnAtMostMaxDueIncidentsEarliestFirst() {
        for (int n = 0; n < 5; n++) {
            store.save(null, incident(IncidentId.of(0, n + 1), "a" + n, Status.ACTIVE, T.plusSeconds(50 - n)));
        }
        final List<Incident> found = store.dueBefore(T.plusSeconds(100), 2);
        assertEquals(
                List.of(IncidentId.of(0, 5), IncidentId.of(0, 4)),
                found.stream().map(Incident::id).toList());
    }

    @Test
    void shouldNotTreatIncidentDueExactlyNowAsExpired() {
        store.save(null, incident("incident.0.1", "a", Status.ACTIVE, T.plusSeconds(10)));
        assertTrue(store.dueBefore(T.plusSeconds(10), 10).isEmpty());
        assertEquals(1, store.dueBefore(T.plusSeconds(10).plusMillis(1), 10).size());
    }

    @Test
    void shouldMoveIndexAndExpiryEntriesWhenIncidentCloses() {
        final Incident open = incident("incident.0.1", "a", Status.ACTIVE, T.plusSeconds(10));
        store.save(null, open);
        assertEquals(IndexKeys.ENTRIES_PER_INCIDENT, listEntries(index));
        assertEquals(1, size(expiry));
        final Incident resolved = open.toBuilder()
                .status(Status.RESOLVED)
                .updatedAt(T.plusSeconds(5))
                .build();
        store.save(open, resolved);
        assertEquals(IndexKeys.ENTRIES_PER_INCIDENT, listEntries(index));
        for (Bytes key : IndexKeys.keysOf(resolved)) {
            assertTrue(index.get(key) != null);
        }
        for (Bytes key : IndexKeys.keysOf(open)) {
            assertEquals(IndexKeys.keysOf(resolved).contains(key), index.get(key) != null);
        }
        assertTrue(store.dueBefore(T.plusSeconds(100), 10).isEmpty(), "a closed incident is never due");
        assertEquals(0, size(expiry), "the sweep drops the entry of a closed incident");
        assertEquals(resolved, store.get("incident.0.1"));
    }

    @Test
    void shouldRescheduleExpiryLazilyWhenValidUntilMoves() {
        final Incident open = incident("incident.0.1", "a", Status.ACTIVE, T.plusSeconds(10));
        store.save(null, open);
        final Incident extended = open.toBuilder().validUntil(T.plusSeconds(60)).build();
        store.save(open, extended);
        assertEquals(1, size(expiry));
        assertTrue(store.dueBefore(T.plusSeconds(30), 10).isEmpty(), "not due: validUntil moved to +60s");
        assertEquals(1, size(expiry), "the entry moved to the real validUntil");
        assertTrue(store.dueBefore(T.plusSeconds(60), 10).isEmpty());
        assertEquals(List.of(extended), store.dueBefore(T.plusSeconds(61), 10));
    }

    @Test
    void shouldNotTouchAnyIndexWhenAFoldChangesNothingListed() {
        final Incident open = incident("incident.0.1", "a", Status.ACTIVE, T.plusSeconds(10));
        store.save(null, open);
        final AtomicInteger writes = new AtomicInteger();
        final IncidentStore watched = new IncidentStore(
                incidents,
                byAlert,
                writeCounting(index, writes),
                writeCounting(expiry, writes),
                writeCounting(retention, writes),
                writeCounting(store("sequence2", Serdes.String(), Serdes.Long()), writes),
                store("results2", Serdes.String(), Serdes.ByteArray()));
        final Incident folded = open.toBuilder()
                .lastCheckedAt(T.plusSeconds(5))
                .validUntil(T.plusSeconds(70))
                .alertCount(2)
                .build();
        watched.save(open, folded);
        assertEquals(0, writes.get(), "a re-fire writes the incident and nothing else");
        assertEquals(folded, store.get("incident.0.1"));
        watched.save(
                folded,
                folded.toBuilder()
                        .status(Status.ACKNOWLEDGED)
                        .updatedAt(T.plusSeconds(6))
                        .build());
        assertTrue(writes.get() > 0, "a status change moves the index");
    }

    @Test
    void shouldStillExpireAnIncidentScheduledBeforeWhereTheLastSweepEnded() {
        store.save(null, incident("incident.0.1", "a", Status.ACTIVE, T.plusSeconds(10)));
        assertEquals(1, store.dueBefore(T.plusSeconds(30), 10).size());
        // an alert that arrives late, already past its validUntil: before where the sweeps are
        final Incident late = incident("incident.0.2", "b", Status.ACTIVE, T.plusSeconds(5));
        store.save(null, late);
        assertEquals(List.of(late), store.dueBefore(T.plusSeconds(31), 10));
    }

    @Test
    void shouldResumeACappedSweepWithoutSkippingEntriesAtTheSameTime() {
        for (int n = 1; n <= 5; n++) {
            store.save(null, incident(IncidentId.of(0, n), "a" + n, Status.ACTIVE, T.plusSeconds(10)));
        }
        final Set<String> expired = new HashSet<>();
        for (int sweep = 0; sweep < 3; sweep++) {
            store.dueBefore(T.plusSeconds(30), 2).forEach(i -> {
                expired.add(i.id());
                store.save(i, i.toBuilder().status(Status.EXPIRED).build());
            });
        }
        assertEquals(5, expired.size());
    }

    @Test
    void shouldStillPurgeAnIncidentClosedBeforeWhereTheLastPurgeEnded() {
        final Incident old = incident("incident.0.1", "a", Status.RESOLVED, T);
        store.save(null, old);
        assertEquals(List.of(old), store.closedBefore(T.plusSeconds(100), 10));
        store.delete(old);
        assertTrue(store.closedBefore(T.plusSeconds(200), 10).isEmpty());
        final Incident older = incident("incident.0.2", "b", Status.RESOLVED, T.minusSeconds(50));
        store.save(null, older);
        assertEquals(List.of(older), store.closedBefore(T.plusSeconds(201), 10));
    }

    @Test
    void shouldExpireAnIncidentOnceWhenItHasSeveralEntries() {
        final Incident open = incident("incident.0.1", "a", Status.ACTIVE, T.plusSeconds(10));
        store.save(null, open);
        final Incident resolved = open.toBuilder()
                .status(Status.RESOLVED)
                .updatedAt(T.plusSeconds(2))
                .build();
        store.save(open, resolved);
        final Incident reopened = resolved.toBuilder()
                .status(Status.ACTIVE)
                .updatedAt(T.plusSeconds(3))
                .validUntil(T.plusSeconds(20))
                .build();
        store.save(resolved, reopened);
        assertEquals(2, size(expiry), "the closed state's entry is left to the sweep");
        assertEquals(List.of(reopened), store.dueBefore(T.plusSeconds(30), 10));
        assertEquals(0, size(expiry));
    }

    @Test
    void shouldPointAlertAtItsNewestIncident() {
        final Incident first = incident("incident.0.1", "a", Status.RESOLVED, T);
        store.save(null, first);
        assertEquals(first, store.latestFor(new AlertKey("acme", "a")));
        final Incident second = incident("incident.0.2", "a", Status.ACTIVE, T.plusSeconds(60));
        store.save(null, second);
        assertEquals(second, store.latestFor(new AlertKey("acme", "a")));
        assertEquals(first, store.get("incident.0.1"));
        assertNull(store.latestFor(new AlertKey("other", "a")));
    }

    @Test
    void shouldRejectSavingOneIncidentWithTheStateOfAnother() {
        final Incident a = incident("incident.0.1", "a", Status.ACTIVE, T);
        assertThrows(
                IllegalArgumentException.class, () -> store.save(a, incident("incident.0.2", "a", Status.ACTIVE, T)));
    }

    @Test
    void shouldIssueIncreasingIdsOfThePartition() {
        assertEquals("incident.4.1", store.nextId(4));
        assertEquals("incident.4.2", store.nextId(4));
        assertEquals(4, IncidentId.partitionOf(store.nextId(4)));
    }

    /** What {@link IndexCounts#count} must say: the incidents of the tenant with those values, counted one by one. */
    private static long countOf(
            final java.util.Collection<Incident> current,
            final String tenant,
            final Set<Source> sources,
            final Set<Status> statuses,
            final Set<Severity> severities) {
        return current.stream()
                .filter(i -> i.tenantId().equals(tenant))
                .filter(i -> sources.isEmpty() || sources.contains(i.source()))
                .filter(i -> statuses.isEmpty() || statuses.contains(i.status()))
                .filter(i -> severities.isEmpty() || severities.contains(i.severity()))
                .count();
    }

    private void assertCounts(final java.util.Collection<Incident> current, final String where) {
        for (String tenant : List.of("acme", "globex", "acme2")) {
            for (Set<Source> sources : List.of(Set.<Source>of(), Set.of(Source.MANUAL), Set.of(Source.AUTOMATED))) {
                for (Set<Status> statuses :
                        List.of(Set.<Status>of(), Set.of(Status.ACTIVE), Set.of(Status.RESOLVED, Status.EXPIRED))) {
                    for (Set<Severity> severities : List.of(
                            Set.<Severity>of(), Set.of(Severity.HIGH), Set.of(Severity.LOW, Severity.CRITICAL))) {
                        assertEquals(
                                countOf(current, tenant, sources, statuses, severities),
                                IndexCounts.count(index, tenant, sources, statuses, severities),
                                where + ": " + tenant + " " + sources + " " + statuses + " " + severities);
                    }
                }
            }
        }
    }

    @Test
    void shouldKeepEveryCountEqualToTheIncidentsItCountsThroughChangesDeletesAndARebuild() {
        final java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        final java.util.Map<String, Incident> current = new java.util.HashMap<>();
        for (int n = 1; n <= 3_000; n++) {
            final String id = IncidentId.of(0, random.nextInt(400) + 1);
            final Incident before = current.get(id);
            if (before != null && random.nextInt(15) == 0) {
                store.delete(before);
                current.remove(id);
            } else {
                final Incident after = (before == null
                                ? incident(id, "a" + id, Status.ACTIVE, T.plusSeconds(600)).toBuilder()
                                        .tenantId(random.nextBoolean() ? "acme" : "globex")
                                        .source(random.nextInt(4) == 0 ? Source.MANUAL : Source.AUTOMATED)
                                : before.toBuilder())
                        .status(RandomEnums.pick(random, Status.class))
                        .severity(RandomEnums.pick(random, Severity.class))
                        .updatedAt(T.plusSeconds(n))
                        .build();
                store.save(before, after);
                current.put(id, after);
            }
            if (n % 500 == 0) {
                assertCounts(current.values(), "after " + n + " changes");
            }
        }
        final List<Bytes> counts =
                keys(index).stream().filter(IndexCounts::isCount).toList();
        assertEquals(current.size(), store.rebuildIndexes());
        assertEquals(counts, keys(index).stream().filter(IndexCounts::isCount).toList(), "rebuilt counts");
        assertCounts(current.values(), "after the rebuild");
        current.values().forEach(store::delete);
        assertEquals(List.of(), keys(index), "no count is left behind once a tenant's incidents are gone");
    }

    @Test
    void shouldCountRetentionFromTheProcessingClockWhenAnIncidentClosesInTheFuture() {
        final Instant now = Instant.ofEpochMilli(clock.get());
        final Incident open = incident("incident.0.1", "a", Status.ACTIVE, T.plusSeconds(10));
        store.save(null, open);
        // an alert whose producer's clock is a year ahead resolves it
        final Incident resolved = open.toBuilder()
                .status(Status.RESOLVED)
                .updatedAt(T.plus(Duration.ofDays(365)))
                .resolvedAt(T.plus(Duration.ofDays(365)))
                .build();
        store.save(open, resolved);
        assertTrue(store.closedBefore(now, 10).isEmpty(), "closed at the processing clock, not before it");
        assertEquals(List.of(resolved), store.closedBefore(now.plusMillis(1), 10));
    }

    @Test
    void shouldMoveTheRetentionEntryWhenAClosedIncidentChangesAndDropItOnReopen() {
        final Incident open = incident("incident.0.1", "a", Status.ACTIVE, T.plusSeconds(10));
        store.save(null, open);
        final Incident resolved = open.toBuilder()
                .status(Status.RESOLVED)
                .updatedAt(T.plusSeconds(5))
                .build();
        store.save(open, resolved);
        final Incident noted = resolved.toBuilder().updatedAt(T.plusSeconds(50)).build();
        store.save(resolved, noted);
        assertEquals(2, size(retention), "one entry and where it is, not two entries");
        assertTrue(store.closedBefore(T.plusSeconds(10), 10).isEmpty(), "a later change moves the entry");
        assertEquals(List.of(noted), store.closedBefore(T.plusSeconds(51), 10));
        final Incident reopened = noted.toBuilder()
                .status(Status.ACTIVE)
                .updatedAt(T.plusSeconds(60))
                .build();
        store.save(noted, reopened);
        assertEquals(0, size(retention), "an open incident has no retention entry");
        assertTrue(store.closedBefore(T.plusSeconds(1_000), 10).isEmpty());
    }

    @Test
    void shouldGiveARetentionEntryOnRebuildToEveryClosedIncidentAnEarlierVersionLeftWithout() {
        // as an earlier version left them: stored, closed, in no retention index
        final Incident old = incident("incident.0.1", "a", Status.RESOLVED, T);
        final Incident future = incident("incident.0.2", "b", Status.EXPIRED, T).toBuilder()
                .updatedAt(T.plus(Duration.ofDays(365)))
                .build();
        final Incident open = incident("incident.0.3", "c", Status.ACTIVE, T.plusSeconds(10));
        incidents.put(old.id(), old);
        incidents.put(future.id(), future);
        incidents.put(open.id(), open);
        assertTrue(store.closedBefore(T.plus(Duration.ofDays(400)), 10).isEmpty());

        clock.set(T.plus(Duration.ofDays(2)).toEpochMilli());
        assertEquals(3, store.rebuildIndexes());

        assertEquals(List.of(old), store.closedBefore(T.plusSeconds(1), 10));
        assertTrue(store.closedBefore(T.plus(Duration.ofDays(2)), 10).isEmpty());
        assertEquals(
                List.of(future),
                store.closedBefore(T.plus(Duration.ofDays(2)).plusMillis(1), 10),
                "dated a year ahead: retention counts from the rebuild");
    }
}
