package io.incidentstream.store;

import io.incidentstream.grouping.GroupLifecycle;
import io.incidentstream.model.Incident;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the expiry index: {@code validUntil millis (8 bytes, big-endian, sign bit flipped) | id}.
 * Only open incidents have an entry, so a range from the beginning up to now yields exactly the
 * incidents due, in the order they fell due: an expiry sweep costs O(due), not O(all incidents).
 */
public final class ExpiryKeys {
    private ExpiryKeys() {}

    /** The entry of an open incident that can expire, or null (closed, or manual without validUntil). */
    static Bytes keyOf(final Incident i) {
        final Instant due = dueAt(i);
        return i.status().isOpen() && due != null ? Bytes.wrap(key(due.toEpochMilli(), i.id())) : null;
    }

    /**
     * When the sweep must next look at the incident: its {@code validUntil}, or for a grouped incident
     * the earliest {@code validUntil} of a firing member (each member expires on its own).
     */
    static Instant dueAt(final Incident i) {
        return i.grouped() ? GroupLifecycle.nextDue(i) : i.validUntil();
    }

    static byte[] key(final long validUntilMillis, final String id) {
        final byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + idBytes.length)
                .putLong(validUntilMillis ^ Long.MIN_VALUE)
                .put(idBytes)
                .array();
    }

    /**
     * Inclusive upper bound of the entries due strictly before {@code millis}: the bare 8-byte time,
     * which sorts before every entry at that time (entries are longer) and after every earlier one.
     */
    static Bytes dueBefore(final long millis) {
        return Bytes.wrap(
                ByteBuffer.allocate(8).putLong(millis ^ Long.MIN_VALUE).array());
    }

    /** Sorts before every entry at {@code millis} or later, and after every earlier one. */
    static Bytes from(final long millis) {
        return dueBefore(millis);
    }

    static long timeOf(final byte[] key) {
        return ByteBuffer.wrap(key, 0, 8).getLong() ^ Long.MIN_VALUE;
    }

    static String idOf(final byte[] key) {
        return new String(key, 8, key.length - 8, StandardCharsets.UTF_8);
    }
}
