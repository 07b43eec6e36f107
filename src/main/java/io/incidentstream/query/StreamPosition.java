package io.incidentstream.query;

import io.incidentstream.errors.BadRequestException;
import java.util.Arrays;

/**
 * Where a client of the live stream stands: for each partition of the incident topic, the offset of
 * the next record it has not seen. It is the SSE event {@code id}, so a client that reconnects with
 * {@code Last-Event-ID} is served from exactly there. Text form: the offsets in base 36, partition
 * by partition, joined by {@code .} (so {@code 0.1z.k} for three partitions), short enough for a
 * header and free of characters SSE or HTTP treat specially.
 */
public final class StreamPosition {
    /** More partitions than any topic of ours has; bounds what a client's header can make us allocate. */
    public static final int MAX_PARTITIONS = 10_000;

    private static final int MAX_TEXT = MAX_PARTITIONS * 14;

    private final long[] next;

    private StreamPosition(final long[] next) {
        this.next = next;
    }

    public static StreamPosition of(final long[] next) {
        if (next.length == 0 || next.length > MAX_PARTITIONS) {
            throw new IllegalArgumentException("partitions: " + next.length);
        }
        for (long o : next) {
            if (o < 0) {
                throw new IllegalArgumentException("negative offset " + o);
            }
        }
        return new StreamPosition(next.clone());
    }

    /**
     * The position a {@code Last-Event-ID} names.
     *
     * @throws BadRequestException when the text is not a position of this stream
     */
    public static StreamPosition parse(final String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_TEXT) {
            throw invalid();
        }
        final String[] parts = text.split("\\.", -1);
        if (parts.length > MAX_PARTITIONS) {
            throw invalid();
        }
        final long[] next = new long[parts.length];
        for (int p = 0; p < parts.length; p++) {
            final String part = parts[p];
            if (part.isEmpty() || part.length() > 13) {
                throw invalid();
            }
            for (int i = 0; i < part.length(); i++) {
                final char c = part.charAt(i);
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))) {
                    throw invalid();
                }
            }
            try {
                next[p] = Long.parseLong(part, 36);
            } catch (NumberFormatException e) {
                throw invalid();
            }
        }
        return new StreamPosition(next);
    }

    private static BadRequestException invalid() {
        return new BadRequestException("Last-Event-ID is not a position of this stream");
    }

    public int partitions() {
        return next.length;
    }

    /** The next offset of partition {@code p} not yet seen. */
    public long next(final int p) {
        return next[p];
    }

    /** A copy of the offsets. */
    public long[] offsets() {
        return next.clone();
    }

    /** This position after the record at {@code offset} of {@code partition}; itself when already past it. */
    public StreamPosition after(final int partition, final long offset) {
        if (offset < next[partition]) {
            return this;
        }
        final long[] moved = next.clone();
        moved[partition] = offset + 1;
        return new StreamPosition(moved);
    }

    /** Whether every partition of this position is at or before {@code other}'s. */
    public boolean notAfter(final StreamPosition other) {
        if (other.next.length != next.length) {
            return false;
        }
        for (int p = 0; p < next.length; p++) {
            if (next[p] > other.next[p]) {
                return false;
            }
        }
        return true;
    }

    public String encode() {
        final StringBuilder out = new StringBuilder(next.length * 4);
        for (int p = 0; p < next.length; p++) {
            if (p > 0) {
                out.append('.');
            }
            out.append(Long.toString(next[p], 36));
        }
        return out.toString();
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof StreamPosition other && Arrays.equals(next, other.next);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(next);
    }

    @Override
    public String toString() {
        return encode();
    }
}
