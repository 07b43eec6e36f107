package io.incidentstream.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the retention index, two kinds in one store:
 *
 * <pre>
 * 0x01 | closedAt millis (8 bytes, big-endian, sign bit flipped) | id  →  empty      the entries, in time order
 * 0x02 | id                                                         →  closedAt   where each entry is
 * </pre>
 *
 * Exactly the closed incidents (RESOLVED, EXPIRED) have an entry, so a range from the beginning up
 * to {@code now - INCIDENT_RETENTION} yields exactly the incidents to purge, oldest first: a purge
 * sweep costs O(purged), not O(all incidents). {@code closedAt} is not a field of the incident (see
 * {@link RetentionIndex}), so the second kind finds an incident's entry when it moves or goes.
 */
public final class RetentionKeys {
    private static final byte ENTRY = 1;
    private static final byte BY_ID = 2;

    private RetentionKeys() {}

    static Bytes entry(final long closedAtMillis, final String id) {
        final byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(1 + 8 + idBytes.length)
                .put(ENTRY)
                .putLong(closedAtMillis ^ Long.MIN_VALUE)
                .put(idBytes)
                .array());
    }

    static Bytes byId(final String id) {
        final byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(
                ByteBuffer.allocate(1 + idBytes.length).put(BY_ID).put(idBytes).array());
    }

    /**
     * Inclusive upper bound of the entries closed strictly before {@code millis}: the bare time, which
     * sorts before every entry at that time (entries are longer) and after every earlier one.
     */
    static Bytes closedBefore(final long millis) {
        return Bytes.wrap(ByteBuffer.allocate(1 + 8)
                .put(ENTRY)
                .putLong(millis ^ Long.MIN_VALUE)
                .array());
    }

    /** Sorts before every entry closed at {@code millis} or later, and after every earlier one. */
    static Bytes from(final long millis) {
        return closedBefore(millis);
    }

    static long timeOf(final byte[] entry) {
        return ByteBuffer.wrap(entry, 1, 8).getLong() ^ Long.MIN_VALUE;
    }

    static String idOf(final byte[] entry) {
        return new String(entry, 9, entry.length - 9, StandardCharsets.UTF_8);
    }

    static byte[] time(final long millis) {
        return ByteBuffer.allocate(8).putLong(millis).array();
    }

    static long time(final byte[] value) {
        return ByteBuffer.wrap(value).getLong();
    }
}
