package io.incidentstream.silence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SilenceTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Map<String, String> DB1 =
            Map.of("alertname", "DiskFull", "instance", "db1:9100", "severity", "critical");

    static Silence silence(final List<SilenceMatcher> matchers, final Instant startsAt, final Instant endsAt) {
        return new Silence("s1", "acme", matchers, startsAt, endsAt, "ops", "maintenance", startsAt, null);
    }

    private static boolean matches(final SilenceMatcher... matchers) {
        return Silence.matches(
                silence(List.of(matchers), T0, T0.plusSeconds(60)).compiled(), DB1);
    }

    @Test
    void shouldMatchAnEqualMatcherOnlyOnTheSameValue() {
        assertTrue(matches(new SilenceMatcher("alertname", "DiskFull", false, true)));
        assertFalse(matches(new SilenceMatcher("alertname", "DiskFul", false, true)));
        assertFalse(matches(new SilenceMatcher("team", "db", false, true)), "an absent label is the empty string");
    }

    @Test
    void shouldMatchANotEqualMatcherOnAnyOtherValue() {
        assertTrue(matches(new SilenceMatcher("severity", "warning", false, false)));
        assertFalse(matches(new SilenceMatcher("severity", "critical", false, false)));
        assertTrue(matches(new SilenceMatcher("team", "db", false, false)), "absent is not db");
    }

    @Test
    void shouldMatchARegexAnchoredAtBothEnds() {
        assertTrue(matches(new SilenceMatcher("instance", "db[0-9]+:.*", true, true)));
        assertFalse(matches(new SilenceMatcher("instance", "db1", true, true)), "anchored: db1 is not db1:9100");
        assertTrue(matches(new SilenceMatcher("instance", "db1|db2:9100|db1:9100", true, true)));
    }

    @Test
    void shouldMatchANegativeRegexOnWhatTheRegexDoesNotMatch() {
        assertTrue(matches(new SilenceMatcher("instance", "web.*", true, false)));
        assertFalse(matches(new SilenceMatcher("instance", "db.*", true, false)));
    }

    @Test
    void shouldNeedEveryMatcher() {
        assertTrue(matches(
                new SilenceMatcher("alertname", "DiskFull", false, true),
                new SilenceMatcher("instance", "db.*", true, true)));
        assertFalse(matches(
                new SilenceMatcher("alertname", "DiskFull", false, true),
                new SilenceMatcher("instance", "web.*", true, true)));
    }

    @Test
    void shouldBePendingThenActiveThenExpired() {
        final Silence s = silence(List.of(new SilenceMatcher("a", "b", false, true)), T0, T0.plusSeconds(60));
        assertEquals(SilenceState.PENDING, s.state(T0.minusMillis(1)));
        assertEquals(SilenceState.ACTIVE, s.state(T0));
        assertEquals(SilenceState.ACTIVE, s.state(T0.plusSeconds(60).minusMillis(1)));
        assertEquals(SilenceState.EXPIRED, s.state(T0.plusSeconds(60)), "endsAt itself is past the silence");
        assertFalse(s.mutesAt(T0.minusMillis(1)));
        assertTrue(s.mutesAt(T0));
        assertFalse(s.mutesAt(T0.plusSeconds(60)));
    }

    @Test
    void shouldMuteARecurringSilenceOnlyInsideItsWindowsAndItsLifetime() {
        final Recurrence daily = new Recurrence(
                Recurrence.Every.DAILY,
                null,
                java.time.LocalTime.of(22, 0),
                java.time.Duration.ofHours(2),
                java.time.ZoneId.of("UTC"));
        final Silence s = new Silence(
                "s1",
                "acme",
                List.of(new SilenceMatcher("a", "b", false, true)),
                Instant.parse("2026-12-01T00:00:00Z"),
                Instant.parse("2026-12-03T23:00:00Z"),
                "ops",
                "nightly backup",
                T0,
                daily);
        assertFalse(s.mutesAt(Instant.parse("2026-12-01T21:59:59Z")));
        assertTrue(s.mutesAt(Instant.parse("2026-12-01T22:00:00Z")));
        assertTrue(s.mutesAt(Instant.parse("2026-12-02T23:59:59Z")));
        assertFalse(s.mutesAt(Instant.parse("2026-12-02T00:00:00Z")), "the window is [22:00, 24:00)");
        assertTrue(s.mutesAt(Instant.parse("2026-12-03T22:30:00Z")));
        assertFalse(s.mutesAt(Instant.parse("2026-12-03T23:00:00Z")), "endsAt cuts the last window");
    }

    @Test
    void shouldTellWhenSilencesStoppedMuting() {
        final SilenceView view = new SilenceView();
        final Silence plain = silence(List.of(new SilenceMatcher("a", "b", false, true)), T0, T0.plusSeconds(60));
        view.put(plain);
        assertEquals(List.of(), view.endedBetween(T0, T0.plusSeconds(59)));
        assertEquals(
                List.of(new Silences.Ending(plain, T0.plusSeconds(60))),
                view.endedBetween(T0.plusSeconds(59), T0.plusSeconds(61)));
        assertEquals(List.of(), view.endedBetween(T0.plusSeconds(60), T0.plusSeconds(120)), "(from, to]");
        final Silence neverStarted = new Silence(
                "s2", "acme", plain.matchers(), T0.plusSeconds(30), T0.plusSeconds(30), "ops", "x", T0, null);
        view.put(neverStarted);
        assertEquals(1, view.endedBetween(T0, T0.plusSeconds(120)).size(), "an empty silence never ends");
    }

    @Test
    void shouldTellTheEndOfEachWindowOfARecurringSilence() {
        final Recurrence daily = new Recurrence(
                Recurrence.Every.DAILY,
                null,
                java.time.LocalTime.of(23, 0),
                java.time.Duration.ofHours(2),
                java.time.ZoneId.of("UTC"));
        final Silence s = new Silence(
                "s1",
                "acme",
                List.of(new SilenceMatcher("a", "b", false, true)),
                Instant.parse("2026-12-01T00:00:00Z"),
                Instant.parse("2026-12-04T00:00:00Z"),
                "ops",
                "x",
                T0,
                daily);
        assertEquals(
                List.of(
                        Instant.parse("2026-12-01T01:00:00Z"),
                        Instant.parse("2026-12-02T01:00:00Z"),
                        Instant.parse("2026-12-03T01:00:00Z"),
                        Instant.parse("2026-12-04T00:00:00Z")),
                SilenceEndings.between(s, Instant.parse("2026-11-30T00:00:00Z"), Instant.parse("2026-12-10T00:00:00Z")),
                "the window open at startsAt ends at 01:00; the last one is cut at endsAt");
    }

    @Test
    void shouldSeeAnIncidentWithItsAlertnameAlertIdAndSeverity() {
        final io.incidentstream.model.Incident incident = new io.incidentstream.model.Incident.Builder()
                .id("incident.0.a")
                .tenantId("acme")
                .alertId("disk-db1")
                .alertTemplateId("DiskFull")
                .status(io.incidentstream.model.Status.ACTIVE)
                .severity(io.incidentstream.model.Severity.HIGH)
                .createdAt(T0)
                .updatedAt(T0)
                .labels(Map.of("instance", "db1"))
                .build();
        assertEquals(
                Map.of("instance", "db1", "alertname", "DiskFull", "alertId", "disk-db1", "severity", "high"),
                SilenceLabels.of(incident));
    }
}
