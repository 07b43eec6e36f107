package io.incidentstream.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fast path must agree with {@code DateTimeFormatter} wherever it answers, and stand aside elsewhere. */
class IsoInstantsTest {
    @Test
    void parsesTheStrictFormExactlyAsTheFormatterDoes() {
        for (String s : List.of(
                "2026-11-25T20:51:25Z",
                "2026-11-25T20:51:25.1Z",
                "2026-11-25T20:51:25.123Z",
                "2026-11-25T20:51:25.123456Z",
                "2026-11-25T20:51:25.123456789Z",
                "2026-11-25T20:51:25+02:00",
                "2026-11-25T20:51:25.5-05:30",
                "2024-02-29T23:59:59.999+18:00",
                "2000-01-01T00:00:00-18:00",
                "0001-01-01T00:00:00Z",
                "2026-11-25T00:00:00-00:00",
                "9999-12-31T23:59:59.999999999Z")) {
            final Instant fast = IsoInstants.tryParse(s);
            assertNotNull(fast, s);
            assertEquals(slow(s), fast, s);
        }
    }

    @Test
    void leavesEverythingElseToTheFormatter() {
        for (String s : List.of(
                "",
                "2026-11-25",
                "2026-11-25T20:51Z",
                "2026-11-25 20:51:25Z",
                "2026-11-25t20:51:25z",
                "2026-11-25T20:51:25",
                "2026-11-25T20:51:25.Z",
                "2026-11-25T20:51:25.1234567891Z",
                "2026-11-25T20:51:25+0200",
                "2026-11-25T20:51:25+02",
                "2026-11-25T20:51:25+02:00:30",
                "2026-11-25T20:51:25+18:01",
                "2026-11-25T20:51:25+19:00",
                "2026-02-30T20:51:25Z",
                "2025-02-29T20:51:25Z",
                "2026-13-01T20:51:25Z",
                "2026-00-01T20:51:25Z",
                "2026-11-25T24:00:00Z",
                "2026-11-25T20:60:25Z",
                "2026-11-25T20:51:60Z",
                "+2026-11-25T20:51:25Z",
                "20261-11-25T20:51:25Z",
                "2026-11-25T20:51:25Zx",
                "2026-11-25T20:51:25ZZ",
                "2026-1a-25T20:51:25Z",
                "2026-11-25T20:51:25.12a4Z")) {
            assertNull(IsoInstants.tryParse(s), s);
        }
    }

    @Test
    void agreesWithTheFormatterOnRandomInputs() {
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            final String s = randomTimestamp(random);
            final Instant fast = IsoInstants.tryParse(s);
            if (fast != null) {
                assertEquals(slow(s), fast, s);
            }
        }
    }

    @Test
    void formatsExactlyAsInstantToString() {
        final SplittableRandom random = new SplittableRandom(7);
        final long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond() - 1000;
        final long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond() + 1000;
        for (int i = 0; i < 50_000; i++) {
            final long second = random.nextLong(min, max);
            final int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            final Instant t = Instant.ofEpochSecond(second, nanos);
            assertEquals(t.toString(), IsoInstants.format(t));
        }
        for (Instant t : List.of(Instant.EPOCH, Instant.MIN, Instant.MAX, Instant.parse("1969-12-31T23:59:59.999Z"))) {
            assertEquals(t.toString(), IsoInstants.format(t));
        }
    }

    /** The mapper's instant reader answers as Jackson's own does, fast path or not, errors included. */
    @Test
    void theMapperReadsInstantsAsJacksonsOwnReaderDoes() throws Exception {
        final com.fasterxml.jackson.databind.ObjectMapper jacksons = new com.fasterxml.jackson.databind.ObjectMapper()
                .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule());
        for (String json : List.of(
                "\"2026-11-25T20:51:25Z\"",
                "\"2026-11-25T20:51:25.123456789Z\"",
                "\"2026-11-25T20:51:25+02:00\"",
                "1764103885",
                "1764103885.5",
                "null")) {
            assertEquals(jacksons.readValue(json, Instant.class), Json.mapper().readValue(json, Instant.class), json);
        }
        for (String json : List.of("\"2026-11-25T20:51Z\"", "\"yesterday\"", "\"2026-13-25T20:51:25Z\"", "[1]")) {
            org.junit.jupiter.api.Assertions.assertThrows(
                    com.fasterxml.jackson.databind.DatabindException.class,
                    () -> jacksons.readValue(json, Instant.class),
                    json);
            org.junit.jupiter.api.Assertions.assertThrows(
                    com.fasterxml.jackson.databind.DatabindException.class,
                    () -> Json.mapper().readValue(json, Instant.class),
                    json);
        }
    }

    @Test
    void theMapperWritesInstantsAsBefore() throws Exception {
        final Instant t = Instant.parse("2026-11-25T20:51:25.120Z");
        assertEquals("\"2026-11-25T20:51:25.120Z\"", Json.mapper().writeValueAsString(t));
        assertEquals(t, Json.mapper().readValue("\"2026-11-25T20:51:25.120Z\"", Instant.class));
    }

    private static Instant slow(final String s) {
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Mostly well-formed, often with one field out of range or one character off. */
    private static String randomTimestamp(final SplittableRandom r) {
        final String base = String.format(
                "%04d-%02d-%02dT%02d:%02d:%02d",
                r.nextInt(10_000), r.nextInt(14), r.nextInt(33), r.nextInt(26), r.nextInt(62), r.nextInt(62));
        final String fraction = switch (r.nextInt(4)) {
            case 0 -> "";
            case 1 -> "." + Long.toString(r.nextLong(1, 10_000_000_000L));
            default -> "." + String.format("%03d", r.nextInt(1000));
        };
        final String offset = switch (r.nextInt(4)) {
            case 0 -> "Z";
            case 1 -> String.format("%s%02d:%02d", r.nextBoolean() ? "+" : "-", r.nextInt(20), r.nextInt(61));
            case 2 -> String.format("%s%02d%02d", r.nextBoolean() ? "+" : "-", r.nextInt(20), r.nextInt(61));
            default -> "";
        };
        final StringBuilder s = new StringBuilder(base + fraction + offset);
        if (r.nextInt(10) == 0 && s.length() > 0) {
            s.setCharAt(r.nextInt(s.length()), "0123456789-:.TZ+x ".charAt(r.nextInt(18)));
        }
        return s.toString();
    }
}
