package io.incidentstream.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.codec.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pieces of this package's binary formats ({@link IncidentSerde}, {@link AlertEventSerde}), big-endian
 * as {@code DataOutputStream} wrote them:
 *
 * <pre>
 * string: int length (-1 = null) | UTF-8
 * time:   long epoch seconds (Long.MIN_VALUE = null) | int nanos
 * enum:   byte ordinal (-1 = null)
 * json:   byte flag (0 = null) | int length | the value as JSON (free-form values: reportData)
 * labels: int count (-1 = null) | key string | value string …  (read back in the order written)
 * </pre>
 */
final class Binary {
    static final long NO_TIME = Long.MIN_VALUE;

    private Binary() {}

    /** A {@code json} piece, read back as a tree; {@code in} wraps {@code bytes}. */
    static JsonNode json(final ByteBuffer in) throws IOException {
        if (in.get() == 0) {
            return null;
        }
        final int length = in.getInt();
        final JsonNode value = Json.mapper().readTree(in.array(), in.arrayOffset() + in.position(), length);
        in.position(in.position() + length);
        return value;
    }

    static Map<String, String> labels(final ByteBuffer in) {
        final int count = in.getInt();
        if (count < 0) {
            return null;
        }
        final Map<String, String> labels = new LinkedHashMap<>(count * 2);
        for (int n = 0; n < count; n++) {
            labels.put(string(in), string(in));
        }
        return labels;
    }

    static String string(final ByteBuffer in) {
        final int length = in.getInt();
        if (length < 0) {
            return null;
        }
        final String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }

    static void skipString(final ByteBuffer in) {
        final int length = in.getInt();
        if (length > 0) {
            in.position(in.position() + length);
        }
    }

    static void skipTime(final ByteBuffer in) {
        if (in.getLong() != NO_TIME) {
            in.position(in.position() + Integer.BYTES);
        }
    }

    static Instant time(final ByteBuffer in) {
        final long seconds = in.getLong();
        return seconds == NO_TIME ? null : Instant.ofEpochSecond(seconds, in.getInt());
    }

    /** A growable big-endian buffer, the layout {@code DataOutputStream} wrote (version 1 was written with it). */
    static final class Writer {
        private byte[] buf;
        private int size;

        Writer(final int capacity) {
            buf = new byte[capacity];
        }

        private void ensure(final int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        void writeByte(final int v) {
            ensure(1);
            buf[size++] = (byte) v;
        }

        void writeInt(final int v) {
            ensure(4);
            buf[size++] = (byte) (v >>> 24);
            buf[size++] = (byte) (v >>> 16);
            buf[size++] = (byte) (v >>> 8);
            buf[size++] = (byte) v;
        }

        void writeLong(final long v) {
            writeInt((int) (v >>> 32));
            writeInt((int) v);
        }

        void bytes(final byte[] b) {
            writeInt(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        /** A {@code json} piece: a flag, and the value as JSON unless it is null. */
        void json(final JsonNode value) {
            writeByte(value != null ? 1 : 0);
            if (value != null) {
                try {
                    bytes(Json.mapper().writeValueAsBytes(value));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot serialise a JSON value", e);
                }
            }
        }

        void string(final String s) {
            if (s == null) {
                writeInt(-1);
            } else {
                bytes(s.getBytes(StandardCharsets.UTF_8));
            }
        }

        /** A count and the pairs, or -1 for null. */
        void labels(final Map<String, String> labels) {
            writeInt(labels == null ? -1 : labels.size());
            if (labels != null) {
                for (Map.Entry<String, String> label : labels.entrySet()) {
                    string(label.getKey());
                    string(label.getValue());
                }
            }
        }

        /** Room for an int written later by {@link #patchLength}; returns where it is. */
        int reserveInt() {
            writeInt(0);
            return size - Integer.BYTES;
        }

        /** Writes at {@code at} the number of bytes written after the int there. */
        void patchLength(final int at) {
            final int length = size - at - Integer.BYTES;
            buf[at] = (byte) (length >>> 24);
            buf[at + 1] = (byte) (length >>> 16);
            buf[at + 2] = (byte) (length >>> 8);
            buf[at + 3] = (byte) length;
        }

        void time(final Instant t) {
            if (t == null) {
                writeLong(NO_TIME);
            } else {
                writeLong(t.getEpochSecond());
                writeInt(t.getNano());
            }
        }

        // Ordinals are the stored format (see the class comment); IncidentSerdeTest's golden bytes pin them.
        @SuppressWarnings("EnumOrdinal")
        void ordinal(final Enum<?> e) {
            writeByte(e == null ? -1 : e.ordinal());
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }
    }

    static <E> E enumOf(final E[] values, final byte ordinal) {
        return ordinal < 0 ? null : values[ordinal];
    }
}
