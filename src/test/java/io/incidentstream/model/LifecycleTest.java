package io.incidentstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class LifecycleTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final Duration FLAP = Duration.ofMinutes(10);

    private final Lifecycle lifecycle = new Lifecycle(FLAP);
    private final Deque<String> ids = new ArrayDeque<>(List.of("incident.0.1", "incident.0.2", "incident.0.3"));
    private final Supplier<String> newId = ids::removeFirst;

    /** The new-id supplier for applications that must not open an incident. */
    private static String noNewId() {
        throw new AssertionError("no new id expected");
    }

    private static Instant at(final long seconds) {
        return T0.plusSeconds(seconds);
    }

    private static AlertEvent firing(final long seconds) {
        return event(AlertStatus.FIRING, seconds, at(seconds).plus(TTL), Severity.MEDIUM, null, null);
    }

    private static AlertEvent resolved(final long seconds) {
        return event(AlertStatus.RESOLVED, seconds, at(seconds).plus(TTL), Severity.MEDIUM, null, null);
    }

    private static AlertEvent event(
            final AlertStatus status,
            final long seconds,
            final Instant validUntil,
            final Severity severity,
            final String title,
            final JsonNode reportData) {
        return new AlertEvent(
                "cpu-high",
                1,
                "tpl",
                "acme",
                status,
                severity,
                title,
                null,
                at(seconds),
                validUntil,
                reportData,
                Map.of("team", "ops"),
                null);
    }

    private Incident opened() {
        return lifecycle.apply(null, firing(0), newId).incident();
    }

    @Test
    void shouldOpenActiveIncidentOnFirstFiring() {
        final Lifecycle.Result r = lifecycle.apply(null, firing(0), newId);
        assertEquals(Lifecycle.Outcome.OPENED, r.outcome());
        final Incident i = r.incident();
        assertEquals("incident.0.1", i.id());
        assertEquals(Status.ACTIVE, i.status());
        assertEquals(at(0), i.createdAt());
        assertEquals(at(0), i.lastCheckedAt());
        assertEquals(at(0), i.updatedAt());
        assertEquals(at(0).plus(TTL), i.validUntil());
        assertEquals(1, i.alertCount());
        assertEquals("acme", i.tenantId());
        assertEquals("cpu-high", i.alertId());
        assertEquals(Source.AUTOMATED, i.source());
        assertEquals(Map.of("team", "ops"), i.labels());
        assertNotNull(r.transition());
        assertNull(r.transition().from());
        assertEquals(Status.ACTIVE, r.transition().to());
        assertEquals(List.of(r.transition()), i.timeline());
    }

    @Test
    void shouldIgnoreResolvedWhenNoIncidentExists() {
        final Lifecycle.Result r = lifecycle.apply(null, resolved(0), LifecycleTest::noNewId);
        assertEquals(Lifecycle.Outcome.IGNORED_NOT_OPEN, r.outcome());
        assertNull(r.incident());
        assertFalse(r.outcome().changed());
    }

    @Test
    void shouldFoldNewerFiringTakingNewestFieldsAndCountingIt() {
        final Incident open = opened();
        final JsonNode data = JsonNodeFactory.instance.objectNode().put("usage", 97);
        final AlertEvent next = event(AlertStatus.FIRING, 60, at(60).plus(TTL), Severity.CRITICAL, "CPU at 97%", data);
        final Lifecycle.Result r = lifecycle.apply(open, next, LifecycleTest::noNewId);
        assertEquals(Lifecycle.Outcome.FOLDED, r.outcome());
        assertNull(r.transition());
        final Incident i = r.incident();
        assertEquals(open.id(), i.id());
        assertEquals(Status.ACTIVE, i.status());
        assertEquals(at(60), i.lastCheckedAt());
        assertEquals(at(60).plus(TTL), i.validUntil());
        assertEquals(at(0), i.createdAt());
        assertEquals(Severity.CRITICAL, i.severity());
        assertEquals("CPU at 97%", i.title());
        assertEquals(data, i.reportData());
        assertEquals(2, i.alertCount());
        assertEquals(open.timeline(), i.timeline());
    }

    @Test
    void shouldKeepLaterValidUntilWhenNewerEventGivesAnEarlierOne() {
        final Incident open = lifecycle
                .apply(null, event(AlertStatus.FIRING, 0, at(3600), Severity.MEDIUM, null, null), newId)
                .incident();
        final Lifecycle.Result r = lifecycle.apply(
                open, event(AlertStatus.FIRING, 60, at(120), Severity.LOW, null, null), LifecycleTest::noNewId);
        assertEquals(Lifecycle.Outcome.FOLDED, r.outcome());
        assertEquals(at(3600), r.incident().validUntil());
        assertEquals(at(60), r.incident().lastCheckedAt());
        assertEquals(Severity.LOW, r.incident().severity());
    }

    @Test
    void shouldLeaveUpdatedAtWhenARefireOnlyConfirmsTheAlert() {
        final Incident open = opened();
        final JsonNode data = JsonNodeFactory.instance.objectNode().put("usage", 91);
        final Lifecycle.Result r = lifecycle.apply(
                open, event(AlertStatus.FIRING, 60, at(360), Severity.MEDIUM, null, data), LifecycleTest::noNewId);
        assertEquals(Lifecycle.Outcome.FOLDED, r.outcome());
        assertEquals(at(0), r.incident().updatedAt(), "same severity, title, labels: a confirmation, not an update");
        assertEquals(at(60), r.incident().lastCheckedAt());
        assertEquals(data, r.incident().reportData());
    }

    @Test
    void shouldMoveUpdatedAtWhenARefireChangesWhatTheIncidentSays() {
        final Incident open = opened();
        assertEquals(
                at(60),
                lifecycle
                        .apply(
                                open,
                                event(AlertStatus.FIRING, 60, at(360), Severity.HIGH, null, null),
                                LifecycleTest::noNewId)
                        .incident()
                        .updatedAt(),
                "severity");
        assertEquals(
                at(60),
                lifecycle
                        .apply(
                                open,
                                event(AlertStatus.FIRING, 60, at(360), Severity.MEDIUM, "disk full", null),
                                LifecycleTest::noNewId)
                        .incident()
                        .updatedAt(),
                "title");
        final AlertEvent relabelled = new AlertEvent(
                "cpu-high",
                1,
                "tpl",
                "acme",
                AlertStatus.FIRING,
                Severity.MEDIUM,
                null,
                null,
                at(60),
                at(360),
                null,
                Map.of("team", "db"),
                null);
        assertEquals(
                at(60),
                lifecycle
                        .apply(open, relabelled, LifecycleTest::noNewId)
                        .incident()
                        .updatedAt(),
                "labels");
        final AlertEvent nextVersion = new AlertEvent(
                "cpu-high",
                2,
                "tpl",
                "acme",
                AlertStatus.FIRING,
                Severity.MEDIUM,
                null,
                null,
                at(60),
                at(360),
                null,
                Map.of(),
                null);
        assertEquals(
                at(60),
                lifecycle
                        .apply(open, nextVersion, LifecycleTest::noNewId)
                        .incident()
                        .updatedAt(),
                "alert version");
    }

    @Test
    void shouldResolveOpenIncident() {
        final Lifecycle.Result r = lifecycle.apply(opened(), resolved(30), LifecycleTest::noNewId);
        assertEquals(Lifecycle.Outcome.RESOLVED, r.outcome());
        assertEquals(Status.RESOLVED, r.incident().status());
        assertEquals(at(30), r.incident().resolvedAt());
        assertEquals(at(30), r.incident().updatedAt());
        assertEquals(Status.ACTIVE, r.transition().from());
        assertEquals(Status.RESOLVED, r.transition().to());
        assertEquals(2, r.incident().timeline().size());
    }

    @Test
    void shouldIgnoreResolvedOnAlreadyResolvedIncident() {
        final Incident closed =
                lifecycle.apply(opened(), resolved(30), LifecycleTest::noNewId).incident();
        final Lifecycle.Result r = lifecycle.apply(closed, resolved(40), LifecycleTest::noNewId);
        assertEquals(Lifecycle.Outcome.IGNORED_NOT_OPEN, r.outcome());
        assertSame(closed, r.incident());
    }

    @Test
    void shouldExpireIncidentWhenValidUntilPasses() {
        final Incident open = opened();
        final Lifecycle.Result r = lifecycle.expire(open, open.validUntil().plusMillis(1));
        assertEquals(Lifecycle.Outcome.EXPIRED, r.outcome());
        assertEquals(Status.EXPIRED, r.incident().status());
        assertEquals(open.validUntil(), r.incident().updatedAt());
        assertEquals(Status.ACTIVE, r.transition().from());
        assertEquals(Status.EXPIRED, r.transition().to());
        assertEquals(TimelineEntry.SOURCE_EXPIRY, r.transition().source());
    }

    @Test
    void shouldNotExpireBeforeOrExactlyAtValidUntil() {
        final Incident open = opened();
        assertFalse(lifecycle.expire(open, open.validUntil()).outcome().changed());
        assertFalse(lifecycle
                .expire(open, open.validUntil().minusSeconds(1))
                .outcome()
                .changed());
        assertSame(open, lifecycle.expire(open, open.validUntil()).incident());
    }

    @Test
    void shouldNotExpireClosedIncidents() {
        final Incident resolved =
                lifecycle.apply(opened(), resolved(30), LifecycleTest::noNewId).incident();
        final Lifecycle.Result r = lifecycle.expire(resolved, at(100_000));
        assertFalse(r.outcome().changed());
        assertEquals(Status.RESOLVED, r.incident().status());
        final Incident expired = lifecycle.expire(opened(), at(100_000)).incident();
        assertFalse(lifecycle.expire(expired, at(200_000)).outcome().changed());
    }

    @Test
    void shouldIgnoreFiringOlderThanLastCheckedAt() {
        final Incident open =
                lifecycle.apply(opened(), firing(60), LifecycleTest::noNewId).incident();
        final Lifecycle.Result r = lifecycle.apply(
                open, event(AlertStatus.FIRING, 30, at(9999), Severity.CRITICAL, "x", null), LifecycleTest::noNewId);
        assertEquals(Lifecycle.Outcome.IGNORED_OUT_OF_ORDER, r.outcome());
        assertSame(open, r.incident());
        assertNull(r.transition());
    }

    @Test
    void shouldIgnoreResolvedOlderThanLastCheckedAt() {
        final Incident open =
                lifecycle.apply(opened(), firing(60), LifecycleTest::noNewId).incident();
        final Lifecycle.Result r = lifecycle.apply(open, resolved(59), LifecycleTest::noNewId);
        assertEquals(Lifecycle.Outcome.IGNORED_OUT_OF_ORDER, r.outcome());
        assertEquals(Status.ACTIVE, r.incident().status());
    }

    @Test
    void shouldIgnoreDuplicateFiringWithSameCheckedAt() {
        final Incident open = opened();
        final Lifecycle.Result r = lifecycle.apply(
                open, event(AlertStatus.FIRING, 0, at(9999), Severity.LOW, "dup", null), LifecycleTest::noNewId);
        assertEquals(Lifecycle.Outcome.IGNORED_DUPLICATE, r.outcome());
        assertSame(open, r.incident());
        assertEquals(1, r.incident().alertCount());
    }

    @Test
    void shouldReopenSameIncidentWhenRefiringWithinFlapWindowAfterResolve() {
        final Incident resolved =
                lifecycle.apply(opened(), resolved(30), LifecycleTest::noNewId).incident();
        final Lifecycle.Result r = lifecycle.apply(resolved, firing(30 + FLAP.toSeconds()), LifecycleTest::noNewId);
        assertEquals(Lifecycle.Outcome.REOPENED, r.outcome());
        final Incident i = r.incident();
        assertEquals(resolved.id(), i.id());
        assertEquals(Status.ACTIVE, i.status());
        assertNull(i.resolvedAt());
        assertEquals(2, i.alertCount());
        assertEquals(3, i.timeline().size());
        assertEquals(Status.RESOLVED, r.transition().from());
        assertEquals(Status.ACTIVE, r.transition().to());
        assertEquals(r.transition(), i.timeline().get(2));
    }

    @Test
    void shouldReopenSameIncidentWhenRefiringWithinFlapWindowAfterExpiry() {
        final Incident open = opened();
        final Incident expired =
                lifecycle.expire(open, open.validUntil().plusSeconds(1)).incident();
        final long refire = Duration.between(T0, open.validUntil().plus(FLAP).minusSeconds(1))
                .toSeconds();
        final Lifecycle.Result r = lifecycle.apply(expired, firing(refire), LifecycleTest::noNewId);
        assertEquals(Lifecycle.Outcome.REOPENED, r.outcome());
        assertEquals(open.id(), r.incident().id());
        assertEquals(Status.ACTIVE, r.incident().status());
        assertEquals(Status.EXPIRED, r.transition().from());
        assertEquals(3, r.incident().timeline().size());
    }

    @Test
    void shouldOpenNewIncidentWhenRefiringAfterFlapWindow() {
        final Incident resolved =
                lifecycle.apply(opened(), resolved(30), LifecycleTest::noNewId).incident();
        final Lifecycle.Result r = lifecycle.apply(resolved, firing(30 + FLAP.toSeconds() + 1), newId);
        assertEquals(Lifecycle.Outcome.OPENED, r.outcome());
        assertEquals("incident.0.2", r.incident().id());
        assertNotEquals(resolved.id(), r.incident().id());
        assertEquals(1, r.incident().alertCount());
        assertEquals(at(30 + FLAP.toSeconds() + 1), r.incident().createdAt());
        assertEquals(1, r.incident().timeline().size());
    }

    @Test
    void shouldOpenNewIncidentWhenRefiringAfterFlapWindowFollowingExpiry() {
        final Incident open = opened();
        final Incident expired =
                lifecycle.expire(open, open.validUntil().plusSeconds(1)).incident();
        final long refire = Duration.between(T0, open.validUntil().plus(FLAP).plusSeconds(1))
                .toSeconds();
        final Lifecycle.Result r = lifecycle.apply(expired, firing(refire), newId);
        assertEquals(Lifecycle.Outcome.OPENED, r.outcome());
        assertNotEquals(open.id(), r.incident().id());
    }

    @Test
    void shouldBoundTimelineToLimitKeepingNewestEntries() {
        Incident i = opened();
        long t = 0;
        for (int n = 0; n < 40; n++) {
            i = lifecycle.apply(i, resolved(++t), LifecycleTest::noNewId).incident();
            i = lifecycle.apply(i, firing(++t), LifecycleTest::noNewId).incident();
        }
        assertEquals(Incident.TIMELINE_LIMIT, i.timeline().size());
        assertEquals("incident.0.1", i.id());
        final TimelineEntry last = i.timeline().get(Incident.TIMELINE_LIMIT - 1);
        assertEquals(at(t), last.at());
        assertEquals(Status.ACTIVE, last.to());
        assertEquals(at(t - Incident.TIMELINE_LIMIT + 1), i.timeline().get(0).at());
        for (int k = 1; k < i.timeline().size(); k++) {
            assertTrue(i.timeline().get(k).at().isAfter(i.timeline().get(k - 1).at()));
        }
    }

    @Test
    void shouldRoundTripIncidentIdPartition() {
        assertEquals(3, IncidentId.partitionOf(IncidentId.of(3, 1)));
        assertEquals(0, IncidentId.partitionOf(IncidentId.of(0, Long.MAX_VALUE)));
        assertEquals(99_999, IncidentId.partitionOf(IncidentId.of(99_999, 123_456)));
        assertEquals("incident.7.z", IncidentId.of(7, 35));
        assertTrue(IncidentId.isValid(IncidentId.of(12, 42)));
    }

    @Test
    void shouldRejectInvalidIncidentIds() {
        for (String bad : new String[] {
            null,
            "",
            "incident",
            "incident.1",
            "incident..1",
            "incident.a.1",
            "incident.1.",
            "incident.1.ABC",
            "incident.-1.1",
            "incident.123456.1",
            "x.1.1",
            " incident.1.1",
            "incident.1.1/../2",
            "incident.1.12345678901234"
        }) {
            assertEquals(-1, IncidentId.partitionOf(bad), String.valueOf(bad));
            assertFalse(IncidentId.isValid(bad), String.valueOf(bad));
        }
    }
}
