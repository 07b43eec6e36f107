package io.incidentstream.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * How many bytes a value takes as JSON text in UTF-8, the way the project's Jackson writes it: the
 * unit of every byte bound in {@link Bounds}. Counting the JSON form, not the raw string, matters
 * because escapes make text grow: a control character is six bytes (backslash, u, four hex digits), a quote or a
 * backslash two, so 16,384 characters can take 96 KiB. Pure and allocation-free, so the model can
 * measure what it builds without a serializer.
 */
public final class JsonSize {
    /** The largest JSON size of one UTF-16 character (a control character written as six-character escape). */
    public static final int MAX_BYTES_PER_CHAR = 6;

    private JsonSize() {}

    /** Bytes of {@code s} as a JSON string without its two quotes; 0 for null. */
    public static long ofText(final String s) {
        if (s == null) {
            return 0;
        }
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            bytes += ofChar(s.charAt(i));
        }
        return bytes;
    }

    /** Bytes of one UTF-16 unit in a JSON string; each depends on the unit alone. */
    static int ofChar(final char c) {
        if (c < 0x20) {
            return c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r' ? 2 : 6;
        }
        if (c == '"' || c == '\\') {
            return 2;
        }
        if (c < 0x80) {
            return 1;
        }
        if (c < 0x800) {
            return 2;
        }
        // Jackson writes each half of a surrogate pair (and a lone half) as an escape, not as 4 bytes of UTF-8
        return Character.isSurrogate(c) ? 6 : 3;
    }

    /** Whether {@code s} takes at most {@code maxBytes} as JSON text; scans only when six bytes a character could exceed it. */
    public static boolean fits(final String s, final long maxBytes) {
        return s == null || (long) s.length() * MAX_BYTES_PER_CHAR <= maxBytes || ofText(s) <= maxBytes;
    }

    /** Bytes of a JSON value as written; 4 ({@code null}) for null. */
    public static long of(final JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return 4;
        }
        if (node.isTextual()) {
            return ofText(node.textValue()) + 2;
        }
        if (node.isObject()) {
            long bytes = 2L + Math.max(0, node.size() - 1); // braces, commas
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                bytes += ofText(e.getKey()) + 3 + of(e.getValue()); // quotes and colon
            }
            return bytes;
        }
        if (node.isArray()) {
            long bytes = 2L + Math.max(0, node.size() - 1);
            for (JsonNode element : node) {
                bytes += of(element);
            }
            return bytes;
        }
        // numbers and booleans are written as their text; binary (never parsed from JSON) as base64
        return node.isBinary() ? (node.asText().length() + 2L) : node.asText().length();
    }

    /**
     * At least the bytes of a JSON value as written, computed from lengths alone: a text as six bytes
     * a character, a number as its longest form. Cheap enough to run on every incident built; where it
     * stays under a bound, {@link #of(JsonNode)} need not run.
     */
    public static long atMost(final JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return 4;
        }
        if (node.isTextual()) {
            return 2 + (long) MAX_BYTES_PER_CHAR * node.textValue().length();
        }
        if (node.isContainerNode()) {
            long bytes = 2L + Math.max(0, node.size() - 1);
            if (node.isObject()) {
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    bytes += 3 + (long) MAX_BYTES_PER_CHAR * e.getKey().length() + atMost(e.getValue());
                }
            } else {
                for (JsonNode element : node) {
                    bytes += atMost(element);
                }
            }
            return bytes;
        }
        if (node.isInt() || node.isLong() || node.isShort()) {
            return 20; // Long.MIN_VALUE
        }
        if (node.isDouble() || node.isFloat()) {
            return 24; // the longest Double.toString, e.g. -1.2345678901234567E-308
        }
        return of(node); // big numbers, booleans, binary: as they are
    }

    /** At least the bytes of a string map as a JSON object ({@link #of(Map)}), from lengths alone. */
    public static long atMost(final Map<String, String> map) {
        long bytes = 2L + Math.max(0, map.size() - 1);
        for (Map.Entry<String, String> e : map.entrySet()) {
            bytes += (long) MAX_BYTES_PER_CHAR * (e.getKey().length() + length(e.getValue())) + 5;
        }
        return bytes;
    }

    private static int length(final String s) {
        return s == null ? 0 : s.length();
    }

    /** Bytes of a string map as a JSON object. */
    public static long of(final Map<String, String> map) {
        long bytes = 2L + Math.max(0, map.size() - 1);
        for (Map.Entry<String, String> e : map.entrySet()) {
            bytes += ofText(e.getKey()) + ofText(e.getValue()) + 5; // four quotes and a colon
        }
        return bytes;
    }
}
