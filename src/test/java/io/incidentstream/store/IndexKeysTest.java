package io.incidentstream.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.model.Incident;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Source;
import io.incidentstream.model.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

class IndexKeysTest {
    private static final long[] TIMES = {
        Long.MIN_VALUE, -86_400_000L, -1L, 0L, 1L, 255L, 256L, 1_767_225_600_000L, Long.MAX_VALUE
    };
    private static final String[] IDS = {
        "incident.0.1", "incident.0.10", "incident.0.2", "incident.1.1", "incident.12.z"
    };

    private record Entry(long time, String id) {}

    private static Incident incident(
            final String tenant,
            final String id,
            final Status status,
            final Severity severity,
            final Instant created,
            final Instant updated) {
        return new Incident.Builder()
                .id(id)
                .tenantId(tenant)
                .alertId("a")
                .alertVersion(1)
                .alertTemplateId("disk-full")
                .status(status)
                .severity(severity)
                .source(Source.AUTOMATED)
                .createdAt(created)
                .updatedAt(updated)
                .lastCheckedAt(updated)
                .validUntil(updated)
                .build();
    }

    private static boolean inRange(final byte[] key, final byte[] lower, final byte[] upper) {
        return Arrays.compareUnsigned(key, lower) >= 0 && Arrays.compareUnsigned(key, upper) <= 0;
    }

    @Test
    void shouldOrderKeysByTimeThenIdIncludingNegativeTimes() {
        final byte[] prefix = IndexKeys.prefix("acme", IndexKeys.Order.CREATED_AT, null, null);
        final List<Entry> entries = new ArrayList<>();
        final Map<Entry, byte[]> keys = new HashMap<>();
        for (long t : TIMES) {
            for (String id : IDS) {
                final Entry entry = new Entry(t, id);
                entries.add(entry);
                keys.put(entry, IndexKeys.key(prefix, t, id));
            }
        }
        final List<Entry> byBytes = new ArrayList<>(entries);
        byBytes.sort((a, b) -> Arrays.compareUnsigned(keys.get(a), keys.get(b)));
        final List<Entry> byValue = new ArrayList<>(entries);
        byValue.sort(Comparator.comparingLong(Entry::time).thenComparing(Entry::id));
        assertEquals(byValue, byBytes);
    }

    @Test
    void shouldOrderRandomTimesLikeSignedLongs() {
        final Random random = new Random(42);
        final byte[] prefix = IndexKeys.prefix("t", IndexKeys.Order.UPDATED_AT, Status.ACTIVE, Severity.HIGH);
        for (int n = 0; n < 2_000; n++) {
            final long a = random.nextLong();
            final long b = random.nextInt(3) == 0 ? a : random.nextLong();
            final int bytes = Integer.signum(
                    Arrays.compareUnsigned(IndexKeys.key(prefix, a, "x"), IndexKeys.key(prefix, b, "x")));
            assertEquals(Integer.signum(Long.compare(a, b)), bytes, a + " vs " + b);
        }
    }

    @Test
    void shouldDecodeTimeAndIdBackFromKey() {
        final byte[] prefix = IndexKeys.prefix("tenant-1", IndexKeys.Order.UPDATED_AT, Status.RESOLVED, null);
        for (long t : TIMES) {
            final byte[] key = IndexKeys.key(prefix, t, "incident.3.abc");
            assertEquals(t, IndexKeys.timeOf(key, prefix.length));
            assertEquals("incident.3.abc", IndexKeys.idOf(key, prefix.length));
        }
    }

    @Test
    void shouldBoundEveryEntryAtATimeBetweenAtTimeAndAfterTime() {
        final byte[] prefix = IndexKeys.prefix("acme", IndexKeys.Order.CREATED_AT, null, Severity.LOW);
        for (long t : new long[] {-5, 0, 1_767_225_600_000L}) {
            final byte[] lower = IndexKeys.atTime(prefix, t);
            final byte[] upper = IndexKeys.afterTime(prefix, t);
            for (String id : IDS) {
                assertTrue(inRange(IndexKeys.key(prefix, t, id), lower, upper), id + "@" + t);
                assertFalse(inRange(IndexKeys.key(prefix, t - 1, id), lower, upper), id + "@" + (t - 1));
                assertFalse(inRange(IndexKeys.key(prefix, t + 1, id), lower, upper), id + "@" + (t + 1));
            }
        }
    }

    @Test
    void shouldOrderSuccessorDirectlyAfterKey() {
        final byte[] prefix = IndexKeys.prefix("acme", IndexKeys.Order.CREATED_AT, null, null);
        final byte[] key = IndexKeys.key(prefix, 10, "incident.0.1");
        final byte[] next = IndexKeys.successor(key);
        assertTrue(Arrays.compareUnsigned(key, next) < 0);
        assertTrue(Arrays.compareUnsigned(next, IndexKeys.key(prefix, 10, "incident.0.10")) < 0);
        assertTrue(Arrays.compareUnsigned(next, IndexKeys.key(prefix, 11, "incident.0.0")) < 0);
    }

    @Test
    void shouldKeepTenantsApartWhenOneTenantIsAPrefixOfAnother() {
        for (IndexKeys.Order sort : IndexKeys.Order.values()) {
            for (Status status : new Status[] {null, Status.ACTIVE, Status.EXPIRED}) {
                for (Severity severity : new Severity[] {null, Severity.CRITICAL, Severity.LOW}) {
                    final byte[] a = IndexKeys.prefix("a", sort, status, severity);
                    final byte[] ab = IndexKeys.prefix("ab", sort, status, severity);
                    final byte[] aLower = IndexKeys.atTime(a, Long.MIN_VALUE);
                    final byte[] aUpper = IndexKeys.afterTime(a, Long.MAX_VALUE);
                    final byte[] abLower = IndexKeys.atTime(ab, Long.MIN_VALUE);
                    final byte[] abUpper = IndexKeys.afterTime(ab, Long.MAX_VALUE);
                    for (long t : TIMES) {
                        for (String id : IDS) {
                            assertFalse(inRange(IndexKeys.key(ab, t, id), aLower, aUpper), "ab key in a range");
                            assertFalse(inRange(IndexKeys.key(a, t, id), abLower, abUpper), "a key in ab range");
                            assertTrue(inRange(IndexKeys.key(a, t, id), aLower, aUpper));
                            assertTrue(inRange(IndexKeys.key(ab, t, id), abLower, abUpper));
                        }
                    }
                }
            }
        }
    }

    @Test
    void shouldKeepFilterFamiliesApart() {
        final byte[] all = IndexKeys.prefix("acme", IndexKeys.Order.CREATED_AT, null, null);
        final byte[] active = IndexKeys.prefix("acme", IndexKeys.Order.CREATED_AT, Status.ACTIVE, null);
        final byte[] updated = IndexKeys.prefix("acme", IndexKeys.Order.UPDATED_AT, null, null);
        final byte[] lower = IndexKeys.atTime(all, Long.MIN_VALUE);
        final byte[] upper = IndexKeys.afterTime(all, Long.MAX_VALUE);
        for (long t : TIMES) {
            assertFalse(inRange(IndexKeys.key(active, t, "incident.0.1"), lower, upper));
            assertFalse(inRange(IndexKeys.key(updated, t, "incident.0.1"), lower, upper));
        }
    }

    @Test
    void shouldProduceEightDistinctKeysPerIncident() {
        final Instant created = Instant.parse("2026-01-01T00:00:00Z");
        final Incident i =
                incident("acme", "incident.2.5", Status.ACTIVE, Severity.HIGH, created, created.plusSeconds(60));
        final Set<Bytes> keys = IndexKeys.keysOf(i);
        assertEquals(8, keys.size());
        assertEquals(IndexKeys.ENTRIES_PER_INCIDENT, keys.size());
        final byte[] alert = IndexKeys.alertPrefix("acme", IndexKeys.Order.UPDATED_AT, "a");
        final byte[] template =
                IndexKeys.templatePrefix("acme", IndexKeys.Order.CREATED_AT, "disk-full", Status.ACTIVE, Severity.HIGH);
        assertTrue(keys.contains(
                Bytes.wrap(IndexKeys.key(alert, created.plusSeconds(60).toEpochMilli(), "incident.2.5"))));
        assertTrue(keys.contains(Bytes.wrap(IndexKeys.key(template, created.toEpochMilli(), "incident.2.5"))));
        final byte[] createdPrefix = IndexKeys.prefix("acme", IndexKeys.Order.CREATED_AT, Status.ACTIVE, Severity.HIGH);
        final byte[] updatedPrefix = IndexKeys.prefix("acme", IndexKeys.Order.UPDATED_AT, null, null);
        assertTrue(keys.contains(Bytes.wrap(IndexKeys.key(createdPrefix, created.toEpochMilli(), "incident.2.5"))));
        assertTrue(keys.contains(
                Bytes.wrap(IndexKeys.key(updatedPrefix, created.plusSeconds(60).toEpochMilli(), "incident.2.5"))));
        assertFalse(keys.contains(
                Bytes.wrap(IndexKeys.key(createdPrefix, created.plusSeconds(60).toEpochMilli(), "incident.2.5"))));
    }

    @Test
    void shouldMoveStatusKeysWhenStatusChanges() {
        final Instant t = Instant.parse("2026-01-01T00:00:00Z");
        final Set<Bytes> active = IndexKeys.keysOf(incident("acme", "incident.0.1", Status.ACTIVE, Severity.LOW, t, t));
        final Set<Bytes> resolved =
                IndexKeys.keysOf(incident("acme", "incident.0.1", Status.RESOLVED, Severity.LOW, t, t));
        final long shared = active.stream().filter(resolved::contains).count();
        assertEquals(4, shared, "the unfiltered and alert families stay, the four with status move");
    }

    @Test
    void shouldKeepOneAlertsOrTemplatesEntriesApartFromAnotherThatExtendsItsId() {
        // "disk" is a prefix of "disk-full" as text: the length before the id keeps their ranges apart
        for (IndexKeys.Order order : IndexKeys.Order.values()) {
            final byte[] disk = IndexKeys.alertPrefix("acme", order, "disk");
            final byte[] diskFull = IndexKeys.alertPrefix("acme", order, "disk-full");
            final byte[] template = IndexKeys.templatePrefix("acme", order, "disk", Status.ACTIVE, Severity.LOW);
            final byte[] lower = IndexKeys.atTime(disk, Long.MIN_VALUE);
            final byte[] upper = IndexKeys.afterTime(disk, Long.MAX_VALUE);
            for (long t : TIMES) {
                assertTrue(inRange(IndexKeys.key(disk, t, "incident.0.1"), lower, upper));
                assertFalse(inRange(IndexKeys.key(diskFull, t, "incident.0.1"), lower, upper));
                assertFalse(inRange(IndexKeys.key(template, t, "incident.0.1"), lower, upper));
                assertFalse(inRange(
                        IndexKeys.key(IndexKeys.prefix("acme", order, null, null), t, "incident.0.1"), lower, upper));
            }
        }
    }

    @Test
    void shouldTellCountsFromListEntries() {
        final Instant t = Instant.parse("2026-01-01T00:00:00Z");
        final Incident i = incident("acme", "incident.0.1", Status.ACTIVE, Severity.LOW, t, t);
        assertTrue(IndexCounts.isCount(IndexCounts.keyOf(i)));
        for (Bytes key : IndexKeys.keysOf(i)) {
            assertFalse(IndexCounts.isCount(key));
        }
    }
}
