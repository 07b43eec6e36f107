package io.incidentstream.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The common shape of an ISO-8601 instant, read and written without {@code DateTimeFormatter}.
 * Every alert carries two such times and every incident written as JSON six, and the formatter's
 * general parser and printer were about 10% of the stream thread and of HTTP ingest (the benchmark's
 * profiles). Only the strict form {@code 2026-11-25T20:51:25[.f…]Z} or {@code …+02:00} is handled
 * here; {@link #tryParse} returns null for anything else, and callers fall back to the formatter,
 * which then decides (so the accepted inputs and the error messages are exactly the formatter's).
 * {@link #format} writes exactly what {@link Instant#toString()} writes.
 */
public final class IsoInstants {
    private static final long MIN_FAST_SECOND = LocalDate.of(0, 1, 1).toEpochDay() * 86_400;
    private static final long MAX_FAST_SECOND = LocalDate.of(10_000, 1, 1).toEpochDay() * 86_400;
    private static final int MAX_OFFSET_SECONDS = 18 * 3600;

    private IsoInstants() {}

    /** The instant, or null when {@code s} is not in the strict form (the caller then asks {@code DateTimeFormatter}). */
    public static Instant tryParse(final String s) {
        final int n = s.length();
        if (n < 20
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        final int year = digits(s, 0, 4);
        final int month = digits(s, 5, 2);
        final int day = digits(s, 8, 2);
        final int hour = digits(s, 11, 2);
        final int minute = digits(s, 14, 2);
        final int second = digits(s, 17, 2);
        if (year < 0
                || month < 0
                || day < 0
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            final int start = ++i;
            while (i < n && i - start < 9 && isDigit(s.charAt(i))) {
                nanos = nanos * 10 + (s.charAt(i) - '0');
                i++;
            }
            final int fractionDigits = i - start;
            if (fractionDigits == 0) {
                return null;
            }
            for (int k = fractionDigits; k < 9; k++) {
                nanos *= 10;
            }
        }
        final int offsetSeconds = offset(s, i);
        if (offsetSeconds == Integer.MIN_VALUE) {
            return null;
        }
        final long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds, nanos);
    }

    /** {@code Z}, {@code +HH:MM} or {@code -HH:MM} at {@code i} and nothing after it, in seconds; MIN_VALUE otherwise. */
    private static int offset(final String s, final int i) {
        final int n = s.length();
        if (i == n - 1 && s.charAt(i) == 'Z') {
            return 0;
        }
        if (i != n - 6 || (s.charAt(i) != '+' && s.charAt(i) != '-') || s.charAt(i + 3) != ':') {
            return Integer.MIN_VALUE;
        }
        final int hours = digits(s, i + 1, 2);
        final int minutes = digits(s, i + 4, 2);
        if (hours < 0 || minutes < 0 || minutes > 59) {
            return Integer.MIN_VALUE;
        }
        final int seconds = hours * 3600 + minutes * 60;
        if (seconds > MAX_OFFSET_SECONDS) {
            return Integer.MIN_VALUE;
        }
        return s.charAt(i) == '-' ? -seconds : seconds;
    }

    /** The unsigned decimal of {@code length} ASCII digits at {@code start}, or -1. */
    private static int digits(final String s, final int start, final int length) {
        int value = 0;
        for (int i = start; i < start + length; i++) {
            final char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(final char c) {
        return c >= '0' && c <= '9';
    }

    /** Exactly {@link Instant#toString()}: UTC, seconds always, the fraction in 3, 6 or 9 digits as needed. */
    public static String format(final Instant t) {
        final long epochSecond = t.getEpochSecond();
        if (epochSecond < MIN_FAST_SECOND || epochSecond >= MAX_FAST_SECOND) {
            return t.toString();
        }
        final LocalDateTime at = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        final int nanos = t.getNano();
        final char[] c = new char[31];
        put(c, 0, at.getYear(), 4);
        c[4] = '-';
        put(c, 5, at.getMonthValue(), 2);
        c[7] = '-';
        put(c, 8, at.getDayOfMonth(), 2);
        c[10] = 'T';
        put(c, 11, at.getHour(), 2);
        c[13] = ':';
        put(c, 14, at.getMinute(), 2);
        c[16] = ':';
        put(c, 17, at.getSecond(), 2);
        int end = 19;
        if (nanos != 0) {
            c[end++] = '.';
            if (nanos % 1_000_000 == 0) {
                put(c, end, nanos / 1_000_000, 3);
                end += 3;
            } else if (nanos % 1000 == 0) {
                put(c, end, nanos / 1000, 6);
                end += 6;
            } else {
                put(c, end, nanos, 9);
                end += 9;
            }
        }
        c[end++] = 'Z';
        return new String(c, 0, end);
    }

    private static void put(final char[] c, final int at, final int value, final int width) {
        int v = value;
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + v % 10);
            v /= 10;
        }
    }

    /**
     * Reads instants in the strict form with {@link #tryParse}, and everything else (other spellings,
     * numbers, errors) with Jackson's own {@link InstantDeserializer}; registered on the one
     * {@link Json} mapper, so every record read with it takes the fast path.
     */
    static final class Deserializer extends StdDeserializer<Instant> {
        private static final long serialVersionUID = 1L;

        Deserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(final JsonParser p, final DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                final Instant fast = tryParse(p.getText());
                if (fast != null) {
                    return fast;
                }
            }
            return InstantDeserializer.INSTANT.deserialize(p, ctxt);
        }

        /**
         * Stateless, so Jackson may keep it: otherwise a root-level read ({@code ctxt.readValue(p, Instant.class)},
         * as {@code AlertEventJson.Reader} does per instant) builds it anew on every call, introspection and all.
         */
        @Override
        public boolean isCachable() {
            return true;
        }
    }

    /** Writes instants as {@link #format} does; registered on the one {@link Json} mapper. */
    static final class Serializer extends StdSerializer<Instant> {
        Serializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(final Instant value, final JsonGenerator gen, final SerializerProvider provider)
                throws IOException {
            gen.writeString(format(value));
        }
    }
}
