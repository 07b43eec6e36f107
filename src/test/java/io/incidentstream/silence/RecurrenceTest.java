package io.incidentstream.silence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.codec.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecurrenceTest {
    private static Recurrence parse(final String json) throws Exception {
        return Recurrence.fromJson(Json.mapper().readTree(json));
    }

    private static Recurrence.Window window(final String json, final String at) throws Exception {
        return parse(json).windowAt(Instant.parse(at));
    }

    @Test
    void shouldOpenADailyWindowThatCrossesMidnight() throws Exception {
        final String nightly = "{\"every\":\"daily\",\"start\":\"23:00\",\"duration\":\"PT2H\",\"timeZone\":\"UTC\"}";
        assertEquals(
                new Recurrence.Window(Instant.parse("2026-12-01T23:00:00Z"), Instant.parse("2026-12-02T01:00:00Z")),
                window(nightly, "2026-12-02T00:30:00Z"),
                "after midnight, the window opened the day before");
        assertNull(window(nightly, "2026-12-02T01:00:00Z"), "the end is not in the window");
        assertNull(window(nightly, "2026-12-02T22:59:59Z"));
    }

    @Test
    void shouldOpenAWeeklyWindowAcrossTheEndOfTheWeek() throws Exception {
        // Sunday 22:00 for 4 hours: into Monday 02:00
        final String weekend = "{\"every\":\"weekly\",\"days\":[\"SUN\"],\"start\":\"22:00\",\"duration\":\"PT4H\"}";
        // 2026-12-06 is a Sunday
        assertEquals(
                Instant.parse("2026-12-06T22:00:00Z"),
                window(weekend, "2026-12-07T01:59:00Z").start(),
                "Monday 01:59 is in Sunday's window");
        assertNull(window(weekend, "2026-12-07T02:00:00Z"));
        assertNull(window(weekend, "2026-12-05T23:00:00Z"), "Saturday is not listed");
        final String longWeekend = "{\"every\":\"weekly\",\"days\":[\"SAT\"],\"start\":\"00:00\",\"duration\":\"P2D\"}";
        assertEquals(
                Instant.parse("2026-12-05T00:00:00Z"),
                window(longWeekend, "2026-12-06T23:59:00Z").start(),
                "a window longer than a day is found from its second day");
    }

    @Test
    void shouldKeepTheLocalStartTimeAcrossADaylightSavingChange() throws Exception {
        final String berlin =
                "{\"every\":\"daily\",\"start\":\"22:00\",\"duration\":\"PT2H\",\"timeZone\":\"Europe/Berlin\"}";
        // before the change (CEST, +02:00) and after it (CET, +01:00; the clocks went back on 2026-10-25)
        assertEquals(
                Instant.parse("2026-10-24T20:00:00Z"),
                window(berlin, "2026-10-24T21:00:00Z").start());
        assertEquals(
                Instant.parse("2026-10-25T21:00:00Z"),
                window(berlin, "2026-10-25T22:00:00Z").start());
        assertNull(window(berlin, "2026-10-25T20:30:00Z"), "21:30 local on the day after the change");
    }

    @Test
    void shouldLastRealHoursOverTheNightTheClockSkips() throws Exception {
        // Berlin springs forward on 2026-03-29 at 02:00 → 03:00: a window 01:00 for 3 hours ends at 05:00 local
        final String night =
                "{\"every\":\"daily\",\"start\":\"01:00\",\"duration\":\"PT3H\",\"timeZone\":\"Europe/Berlin\"}";
        final Recurrence.Window w = window(night, "2026-03-29T01:00:00Z");
        assertEquals(Instant.parse("2026-03-29T00:00:00Z"), w.start(), "01:00 CET");
        assertEquals(Instant.parse("2026-03-29T03:00:00Z"), w.end(), "three real hours: 05:00 CEST");
        // a start inside the skipped hour opens after the gap
        final String inGap =
                "{\"every\":\"daily\",\"start\":\"02:30\",\"duration\":\"PT1H\",\"timeZone\":\"Europe/Berlin\"}";
        assertEquals(
                Instant.parse("2026-03-29T01:30:00Z"),
                window(inGap, "2026-03-29T02:00:00Z").start(),
                "03:30 CEST");
    }

    @Test
    void shouldRefuseWhatItCannotRead() {
        assertThrows(
                IllegalArgumentException.class,
                () -> parse("{\"every\":\"hourly\",\"start\":\"22:00\",\"duration\":\"PT1H\"}"));
        assertThrows(
                IllegalArgumentException.class,
                () -> parse("{\"every\":\"weekly\",\"start\":\"22:00\",\"duration\":\"PT1H\"}"));
        assertThrows(
                IllegalArgumentException.class,
                () -> parse("{\"every\":\"daily\",\"days\":[\"MON\"],\"start\":\"22:00\",\"duration\":\"PT1H\"}"));
        assertThrows(
                IllegalArgumentException.class,
                () -> parse("{\"every\":\"weekly\",\"days\":[\"MONDAY\"],\"start\":\"22:00\",\"duration\":\"PT1H\"}"));
        assertThrows(
                IllegalArgumentException.class,
                () -> parse("{\"every\":\"daily\",\"start\":\"25:00\",\"duration\":\"PT1H\"}"));
        assertThrows(
                IllegalArgumentException.class,
                () -> parse("{\"every\":\"daily\",\"start\":\"22:00\",\"duration\":\"PT25H\"}"));
        assertThrows(
                IllegalArgumentException.class,
                () -> parse("{\"every\":\"daily\",\"start\":\"22:00\",\"duration\":\"PT0S\"}"));
        assertThrows(
                IllegalArgumentException.class,
                () -> parse(
                        "{\"every\":\"daily\",\"start\":\"22:00\",\"duration\":\"PT1H\",\"timeZone\":\"Mars/Olympus\"}"));
    }

    @Test
    void shouldWriteWhatItReads() throws Exception {
        final Recurrence r = parse(
                "{\"every\":\"weekly\",\"days\":[\"sun\",\"SAT\"],\"start\":\"22:00\",\"duration\":\"PT2H\",\"timeZone\":\"Europe/Berlin\"}");
        final JsonNode written = Json.mapper().valueToTree(r);
        assertEquals(
                "{\"every\":\"weekly\",\"days\":[\"SAT\",\"SUN\"],\"start\":\"22:00\",\"duration\":\"PT2H\",\"timeZone\":\"Europe/Berlin\"}",
                written.toString());
        assertEquals(r, Recurrence.fromJson(written));
    }
}
