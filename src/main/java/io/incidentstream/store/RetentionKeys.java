package io.incidentstream.store;

import io.incidentstream.model.Incident;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the retention index: {@code closedAt millis (8 bytes, big-endian, sign bit flipped) | id}.
 * Exactly the closed incidents (RESOLVED, EXPIRED) have an entry, so a range from the beginning up
 * to {@code now - INCIDENT_RETENTION} yields exactly the incidents to purge, oldest first: a purge
 * sweep costs O(purged), not O(all incidents).
 *
 * <p>{@code closedAt} is the incident's {@code updatedAt} while it is closed: the time it was
 * resolved or expired, moved on by any later change (a note, a reassignment), so retention counts
 * from the last time anyone touched it. A reopen removes the entry.
 */
public final class RetentionKeys {
    private RetentionKeys() {}

    /** The entry of a closed incident, or null for an open one. */
    static Bytes keyOf(final Incident i) {
        return i.status().isOpen()
                ? null
                : Bytes.wrap(ExpiryKeys.key(i.updatedAt().toEpochMilli(), i.id()));
    }

    /** Inclusive upper bound of the entries closed strictly before {@code millis} (see {@link ExpiryKeys#dueBefore}). */
    static Bytes closedBefore(final long millis) {
        return ExpiryKeys.dueBefore(millis);
    }

    /** Sorts before every entry closed at {@code millis} or later. */
    static Bytes from(final long millis) {
        return ExpiryKeys.from(millis);
    }

    static long timeOf(final byte[] key) {
        return ExpiryKeys.timeOf(key);
    }

    static String idOf(final byte[] key) {
        return new String(key, 8, key.length - 8, StandardCharsets.UTF_8);
    }
}
