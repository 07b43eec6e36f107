package io.incidentstream.store;

import io.incidentstream.model.Incident;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Source;
import io.incidentstream.model.Status;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * How many incidents a partition holds per tenant, source, status and severity, kept next to the list
 * index in the same store:
 *
 * <pre>
 * tenant UTF-8 | 0x00 | 16 | source | status | severity  →  count (8 bytes, big-endian)
 * </pre>
 *
 * A count on any combination of those three filters is then one range over at most 32 entries of
 * the tenant, whatever the partition holds, instead of a walk over every match. The counts are
 * derived from the incidents like the index entries (written by {@link IncidentStore#save} in the
 * same task, rebuilt with them), so they are exactly as trustworthy as the index
 * ({@link DerivedIndexes}).
 *
 * <p>One change moves one incident from one count to another in a single {@code putAll}: RocksDB
 * applies it as one write batch, and a reader's range sees a snapshot, so a count read while the
 * stream thread writes never sees an incident in two counts or in none.
 */
public final class IndexCounts {
    private IndexCounts() {}

    /** The count an incident is in. */
    static Bytes keyOf(final Incident i) {
        return Bytes.wrap(ByteBuffer.allocate(IndexKeys.tenantPrefix(i.tenantId()).length + 4)
                .put(IndexKeys.tenantPrefix(i.tenantId()))
                .put(IndexKeys.COUNTS)
                .put(ordinal(i.source()))
                .put(ordinal(i.status()))
                .put(ordinal(i.severity()))
                .array());
    }

    /**
     * The writes that move an incident from the count of {@code before} to that of {@code after};
     * either may be null (created, deleted). Empty when both are in the same count.
     */
    static List<KeyValue<Bytes, byte[]>> move(
            final ReadOnlyKeyValueStore<Bytes, byte[]> index, final Incident before, final Incident after) {
        final Bytes from = before == null ? null : keyOf(before);
        final Bytes to = after == null ? null : keyOf(after);
        final List<KeyValue<Bytes, byte[]>> writes = new ArrayList<>(2);
        if (Objects.equals(from, to)) {
            return writes;
        }
        if (from != null) {
            writes.add(KeyValue.pair(from, encode(decode(index.get(from)) - 1)));
        }
        if (to != null) {
            writes.add(KeyValue.pair(to, encode(decode(index.get(to)) + 1)));
        }
        return writes;
    }

    /** Whether a key of the list index store is a count rather than a list entry. */
    public static boolean isCount(final Bytes key) {
        final byte[] k = key.get();
        for (int i = 0; i < k.length - 1; i++) {
            if (k[i] == 0) {
                return k[i + 1] == IndexKeys.COUNTS;
            }
        }
        return false;
    }

    /** Adds an incident to counts being rebuilt in memory. */
    static void add(final Map<Bytes, Long> counts, final Incident i) {
        counts.merge(keyOf(i), 1L, Long::sum);
    }

    /** The stored value of a count; none for zero, so a tenant's counts go when its incidents do. */
    static byte[] encode(final long count) {
        return count == 0 ? null : ByteBuffer.allocate(8).putLong(count).array();
    }

    /**
     * The tenant's incidents on this partition whose source, status and severity are in the given
     * sets (an empty set: any value). One range over the tenant's counts, at most 32 entries.
     */
    // Ordinals are the key format, as in IncidentSerde: enum values are only ever appended.
    @SuppressWarnings("EnumOrdinal")
    public static long count(
            final ReadOnlyKeyValueStore<Bytes, byte[]> index,
            final String tenant,
            final Set<Source> sources,
            final Set<Status> statuses,
            final Set<Severity> severities) {
        final byte[] tenantPrefix = IndexKeys.tenantPrefix(tenant);
        final byte[] from = ByteBuffer.allocate(tenantPrefix.length + 1)
                .put(tenantPrefix)
                .put(IndexKeys.COUNTS)
                .array();
        final byte[] to = ByteBuffer.allocate(tenantPrefix.length + 1)
                .put(tenantPrefix)
                .put((byte) (IndexKeys.COUNTS + 1))
                .array();
        long total = 0;
        try (KeyValueIterator<Bytes, byte[]> it = index.range(Bytes.wrap(from), Bytes.wrap(to))) {
            while (it.hasNext()) {
                final KeyValue<Bytes, byte[]> kv = it.next();
                final byte[] key = kv.key.get();
                if (key.length != from.length + 3) {
                    continue; // the upper bound itself, were it ever a key
                }
                final int at = from.length;
                if (wanted(sources, Source.values(), key[at])
                        && wanted(statuses, Status.values(), key[at + 1])
                        && wanted(severities, Severity.values(), key[at + 2])) {
                    total += decode(kv.value);
                }
            }
        }
        return total;
    }

    @SuppressWarnings("EnumOrdinal")
    private static <E extends Enum<E>> boolean wanted(final Set<E> wanted, final E[] values, final byte ordinal) {
        if (wanted.isEmpty()) {
            return true;
        }
        final int i = ordinal & 0xFF;
        return i < values.length && wanted.contains(values[i]);
    }

    /** A value absent from an incident (written by an earlier version) is its own count: 0xFF. */
    @SuppressWarnings("EnumOrdinal")
    private static byte ordinal(final Enum<?> value) {
        return value == null ? (byte) 0xFF : (byte) value.ordinal();
    }

    static long decode(final byte[] value) {
        return value == null ? 0 : ByteBuffer.wrap(value).getLong();
    }
}
