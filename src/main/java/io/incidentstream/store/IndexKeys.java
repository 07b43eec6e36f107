package io.incidentstream.store;

import io.incidentstream.model.Incident;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Status;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.utils.Bytes;

/**
 * Byte-ordered keys of the list index, so that a page is one range scan (or a k-way merge of a few).
 *
 * <pre>
 * tenant UTF-8 | 0x00 | family | [attribute] | [status] | [severity] | sortTime | id UTF-8
 * sortTime       = epoch millis, 8 bytes, big-endian, sign bit flipped
 * family 0..7  = sort &lt;&lt; 2 | (status given ? 1 : 0) | (severity given ? 2 : 0)
 * family 8|sort  = by alert:    attribute = alertId (int length | UTF-8), no status or severity
 * family 12|sort = by template: attribute = alertTemplateId (int length | UTF-8), then status and severity
 * family 16      = the counts ({@link IndexCounts}), not entries
 * family 20|sort = by label:    attribute = name (int length | UTF-8), value (int length | UTF-8), then
 *                  status and severity; only for the names in {@link IndexedLabels}
 * </pre>
 *
 * Every incident has eight entries: two sort fields ({@code createdAt}, {@code updatedAt}) times four
 * families: none; status with severity; its alert; its template with status and severity. A filter on
 * status alone reads the second family for each severity, and a filter on severity alone for each
 * status (a k-way merge of at most four ranges), so a status transition moves fewer entries and an
 * incident costs half the index writes and space of a family per filter combination. A filter on
 * {@code alertId} reads that alert's own entries (its incidents over the retention: a handful, the
 * other filters checked on each); a filter on {@code alertTemplateId} reads the template's ranges for
 * every status and severity asked for, so a template shared by many alerts still answers in
 * O(limit). An equality on an indexed label reads that label value's ranges the same way. The
 * length before an attribute keeps one value from being a prefix of another. The tenant comes first, so one tenant's scan never touches another's rows; the id breaks ties, so the
 * order is total and a cursor is exact. Byte order equals ascending order; descending pages use a
 * reverse range over the same keys.
 */
public final class IndexKeys {
    /** Larger than any byte of an id (ids are ASCII), so {@code prefix|time|0xFF} bounds every id at that time. */
    static final byte AFTER_ANY_ID = (byte) 0xFF;

    /** The time an index orders by. */
    public enum Order {
        CREATED_AT,
        UPDATED_AT;

        Instant of(final Incident i) {
            return this == CREATED_AT ? i.createdAt() : i.updatedAt();
        }

        /** The time an incident sorts by in this order, at the index's precision (milliseconds). */
        public long timeOf(final Incident i) {
            return of(i).toEpochMilli();
        }
    }

    private IndexKeys() {}

    private static final int BY_ALERT = 8;
    private static final int BY_TEMPLATE = 12;
    /** The family byte of the count entries; no entry family uses it. */
    static final byte COUNTS = 16;

    private static final int BY_LABEL = 20;

    /**
     * Index entries per incident without indexed labels (fewer only for one stored without an alert or
     * template id); two more per indexed label it has.
     */
    public static final int ENTRIES_PER_INCIDENT = 8;

    /** The index keys of an incident with no label indexed. */
    public static Set<Bytes> keysOf(final Incident i) {
        return keysOf(i, IndexedLabels.NONE);
    }

    /** The index keys of an incident. */
    public static Set<Bytes> keysOf(final Incident i, final IndexedLabels indexed) {
        final Set<Bytes> keys =
                new HashSet<>(ENTRIES_PER_INCIDENT * 2 + 4 * indexed.names().size());
        for (Order sort : Order.values()) {
            final long time = sort.of(i).toEpochMilli();
            keys.add(Bytes.wrap(key(prefix(i.tenantId(), sort, null, null), time, i.id())));
            keys.add(Bytes.wrap(key(prefix(i.tenantId(), sort, i.status(), i.severity()), time, i.id())));
            if (i.alertId() != null) {
                keys.add(Bytes.wrap(key(alertPrefix(i.tenantId(), sort, i.alertId()), time, i.id())));
            }
            if (i.alertTemplateId() != null) {
                keys.add(Bytes.wrap(key(
                        templatePrefix(i.tenantId(), sort, i.alertTemplateId(), i.status(), i.severity()),
                        time,
                        i.id())));
            }
            for (String name : indexed.names()) {
                final String value = i.labels().get(name);
                if (value != null) {
                    keys.add(Bytes.wrap(
                            key(labelPrefix(i.tenantId(), sort, name, value, i.status(), i.severity()), time, i.id())));
                }
            }
        }
        return keys;
    }

    /**
     * The prefix shared by all entries of one (tenant, sort, status, severity) family: both null (every
     * incident) or both given; the family byte also has room for one without the other.
     */
    // Ordinals are the key format, as in IncidentSerde: enum values are only ever appended.
    @SuppressWarnings("EnumOrdinal")
    public static byte[] prefix(final String tenant, final Order sort, final Status status, final Severity severity) {
        final byte[] t = tenant.getBytes(StandardCharsets.UTF_8);
        final ByteBuffer b = ByteBuffer.allocate(t.length + 4);
        b.put(t).put((byte) 0);
        b.put((byte) (sort.ordinal() << 2 | (status != null ? 1 : 0) | (severity != null ? 2 : 0)));
        if (status != null) {
            b.put((byte) status.ordinal());
        }
        if (severity != null) {
            b.put((byte) severity.ordinal());
        }
        final byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    /** The prefix of one alert's entries in one order: every incident the alert opened, whatever its state. */
    public static byte[] alertPrefix(final String tenant, final Order sort, final String alertId) {
        return attributePrefix(tenant, BY_ALERT, sort, null, null, alertId);
    }

    /** The prefix of one template's entries with one status and severity, in one order. */
    public static byte[] templatePrefix(
            final String tenant,
            final Order sort,
            final String templateId,
            final Status status,
            final Severity severity) {
        return attributePrefix(tenant, BY_TEMPLATE, sort, status, severity, templateId);
    }

    /**
     * The prefix of the entries with one value of one indexed label ({@link IndexedLabels}), one status
     * and severity, in one order.
     */
    public static byte[] labelPrefix(
            final String tenant,
            final Order sort,
            final String name,
            final String value,
            final Status status,
            final Severity severity) {
        return attributePrefix(tenant, BY_LABEL, sort, status, severity, name, value);
    }

    // Ordinals are the key format, as in IncidentSerde: enum values are only ever appended.
    @SuppressWarnings("EnumOrdinal")
    private static byte[] attributePrefix(
            final String tenant,
            final int family,
            final Order sort,
            final Status status,
            final Severity severity,
            final String... attribute) {
        final byte[] t = tenant.getBytes(StandardCharsets.UTF_8);
        final byte[][] parts = new byte[attribute.length][];
        int length = t.length + 2 + 2;
        for (int p = 0; p < attribute.length; p++) {
            parts[p] = attribute[p].getBytes(StandardCharsets.UTF_8);
            length += 4 + parts[p].length;
        }
        final ByteBuffer b = ByteBuffer.allocate(length);
        b.put(t).put((byte) 0).put((byte) (family | sort.ordinal()));
        for (byte[] part : parts) {
            b.putInt(part.length).put(part);
        }
        if (status != null && severity != null) {
            b.put((byte) status.ordinal()).put((byte) severity.ordinal());
        }
        final byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    /** {@code tenant|0x00}: the start of everything one tenant has in the index. */
    static byte[] tenantPrefix(final String tenant) {
        final byte[] t = tenant.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(t.length + 1).put(t).put((byte) 0).array();
    }

    public static byte[] key(final byte[] prefix, final long time, final String id) {
        final byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(prefix.length + 8 + idBytes.length)
                .put(prefix)
                .putLong(time ^ Long.MIN_VALUE)
                .put(idBytes)
                .array();
    }

    /** {@code prefix|time}: sorts before every entry at {@code time}. */
    static byte[] atTime(final byte[] prefix, final long time) {
        return ByteBuffer.allocate(prefix.length + 8)
                .put(prefix)
                .putLong(time ^ Long.MIN_VALUE)
                .array();
    }

    /** {@code prefix|time|0xFF}: sorts after every entry at {@code time}. */
    static byte[] afterTime(final byte[] prefix, final long time) {
        return ByteBuffer.allocate(prefix.length + 9)
                .put(prefix)
                .putLong(time ^ Long.MIN_VALUE)
                .put(AFTER_ANY_ID)
                .array();
    }

    /** The smallest key greater than {@code key}. */
    static byte[] successor(final byte[] key) {
        final byte[] next = new byte[key.length + 1];
        System.arraycopy(key, 0, next, 0, key.length);
        return next;
    }

    static long timeOf(final byte[] key, final int prefixLength) {
        return ByteBuffer.wrap(key, prefixLength, 8).getLong() ^ Long.MIN_VALUE;
    }

    static String idOf(final byte[] key, final int prefixLength) {
        return new String(key, prefixLength + 8, key.length - prefixLength - 8, StandardCharsets.UTF_8);
    }
}
