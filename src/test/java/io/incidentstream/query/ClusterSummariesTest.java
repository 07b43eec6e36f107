package io.incidentstream.query;

import static io.incidentstream.query.ClusterFixture.OTHER_TENANT;
import static io.incidentstream.query.ClusterFixture.TENANT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.codec.Json;
import io.incidentstream.errors.UnavailableException;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentId;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Status;
import io.incidentstream.model.TimelineEntry;
import io.incidentstream.testkit.FakePeerDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The summary a client sees from any instance of a three-instance group over six partitions: each
 * instance a real {@link LocalSummaries} over in-memory stores of its own partitions, its part
 * carried as JSON as between real instances.
 */
class ClusterSummariesTest {
    private static final int PARTITIONS = 6;
    private static final List<String> HOSTS = List.of("node-a:7070", "node-b:7070", "node-c:7070");
    private static final List<Set<Integer>> OWNED = List.of(Set.of(0, 1), Set.of(2, 3), Set.of(4, 5));
    private static final Instant NOW = Instant.parse("2026-03-20T00:00:00Z");

    private final ClusterFixture cluster = new ClusterFixture(PARTITIONS);
    private final Map<String, LocalSummaries> instances = new LinkedHashMap<>();
    private final FakePeerDirectory directory = new FakePeerDirectory(HOSTS.get(0), PARTITIONS).hosts(HOSTS);
    private long sequence;

    ClusterSummariesTest() {
        scanLimit(LocalSummaries.SCAN_LIMIT);
    }

    private void scanLimit(final int limit) {
        for (int i = 0; i < HOSTS.size(); i++) {
            instances.put(HOSTS.get(i), new LocalSummaries(cluster.access(OWNED.get(i)), limit));
        }
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    private ClusterSummaries summaries() {
        return new ClusterSummaries(
                instances.get(HOSTS.get(0)),
                directory,
                (peer, tenant, from) -> CompletableFuture.supplyAsync(
                        () -> overTheWire(instances.get(peer.hostPort()).summary(tenant, from))),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static LocalSummary overTheWire(final LocalSummary part) {
        try {
            return Json.mapper().readValue(Json.mapper().writeValueAsBytes(part), LocalSummary.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An incident opened {@code createdAgo} before now, spread over the partitions. */
    private Incident.Builder opened(final Duration createdAgo, final String tenant) {
        sequence++;
        final Instant created = NOW.minus(createdAgo);
        return ClusterFixture.incident(IncidentId.of((int) (sequence % PARTITIONS), sequence), tenant)
                .createdAt(created)
                .updatedAt(created)
                .lastCheckedAt(created)
                .timeline(List.of(
                        new TimelineEntry(created, null, Status.ACTIVE, TimelineEntry.SOURCE_ALERT, null, null)));
    }

    private void closed(final Duration createdAgo, final Duration took, final Status status, final String source) {
        final Incident.Builder b = opened(createdAgo, TENANT);
        final Incident open = b.build();
        final Instant at = open.createdAt().plus(took);
        cluster.save(b.status(status)
                .updatedAt(at)
                .resolvedAt(status == Status.RESOLVED ? at : null)
                .addTransition(new TimelineEntry(at, Status.ACTIVE, status, source, null, null))
                .build());
    }

    @Test
    void shouldCountOpenIncidentsOfTheTenantByStatusAndSeverityOnEveryInstance() {
        for (int i = 0; i < 12; i++) {
            cluster.save(opened(Duration.ofHours(1), TENANT)
                    .severity(List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW)
                            .get(i % 4))
                    .status(i % 3 == 0 ? Status.ACKNOWLEDGED : Status.ACTIVE)
                    .build());
        }
        cluster.save(opened(Duration.ofHours(1), OTHER_TENANT).build());
        closed(Duration.ofHours(2), Duration.ofMinutes(5), Status.RESOLVED, TimelineEntry.SOURCE_API);

        final IncidentSummary s = summaries().summary(new SummaryQuery(TENANT, Duration.ofDays(7)));

        assertEquals(12, s.open().total(), "the other tenant's and the closed one are not open here");
        assertEquals(Map.of("ACTIVE", 8L, "ACKNOWLEDGED", 4L), s.open().byStatus());
        assertEquals(
                Map.of("critical", 3L, "high", 3L, "medium", 3L, "low", 3L),
                s.open().bySeverity());
    }

    @Test
    void shouldKeepAutomaticClosesApartFromThoseAPersonMade() {
        for (int minutes : new int[] {10, 20, 30, 40, 50, 60, 70, 80, 90, 100}) {
            closed(Duration.ofDays(1), Duration.ofMinutes(minutes), Status.RESOLVED, TimelineEntry.SOURCE_API);
        }
        closed(Duration.ofDays(1), Duration.ofSeconds(30), Status.RESOLVED, TimelineEntry.SOURCE_ALERT);
        closed(Duration.ofDays(1), Duration.ofHours(5), Status.EXPIRED, TimelineEntry.SOURCE_EXPIRY);
        final Incident.Builder acked = opened(Duration.ofDays(1), TENANT);
        final Instant ackAt = NOW.minus(Duration.ofDays(1)).plusSeconds(120);
        cluster.save(acked.status(Status.ACKNOWLEDGED)
                .acknowledgedAt(ackAt)
                .updatedAt(ackAt)
                .build());

        final IncidentSummary s = summaries().summary(new SummaryQuery(TENANT, Duration.ofDays(7)));

        assertEquals(10, s.timeToResolve().byPerson().count());
        assertEquals(50 * 60, s.timeToResolve().byPerson().p50Seconds(), 50 * 60 * 0.025);
        assertEquals(90 * 60, s.timeToResolve().byPerson().p90Seconds(), 90 * 60 * 0.025);
        assertEquals(1, s.timeToResolve().byAlert().count());
        assertEquals(30, s.timeToResolve().byAlert().p50Seconds(), 30 * 0.025);
        assertEquals(1, s.timeToResolve().expired().count());
        assertEquals(5 * 3600, s.timeToResolve().expired().p90Seconds(), 5 * 3600 * 0.025);
        assertEquals(1, s.timeToAcknowledge().count());
        assertEquals(120, s.timeToAcknowledge().p50Seconds(), 120 * 0.025);
        assertTrue(s.complete());
    }

    @Test
    void shouldLeaveOutWhatWasClosedBeforeTheWindow() {
        closed(Duration.ofDays(3), Duration.ofMinutes(10), Status.RESOLVED, TimelineEntry.SOURCE_API);
        closed(Duration.ofHours(3), Duration.ofMinutes(20), Status.RESOLVED, TimelineEntry.SOURCE_API);

        final IncidentSummary day = summaries().summary(new SummaryQuery(TENANT, Duration.ofDays(1)));
        assertEquals(1, day.timeToResolve().byPerson().count());
        assertEquals(1200, day.timeToResolve().byPerson().p50Seconds(), 1200 * 0.025);
        assertEquals(NOW.minus(Duration.ofDays(1)), day.from());
        assertEquals(0, day.timeToAcknowledge().count());
        assertNull(day.timeToAcknowledge().p50Seconds(), "no figure without a count");
        assertEquals(
                2,
                summaries()
                        .summary(new SummaryQuery(TENANT, Duration.ofDays(7)))
                        .timeToResolve()
                        .byPerson()
                        .count());
    }

    @Test
    void shouldSaySoWhenAnInstanceReachedItsScanLimit() {
        for (int i = 0; i < 8; i++) {
            closed(Duration.ofHours(1), Duration.ofMinutes(1), Status.RESOLVED, TimelineEntry.SOURCE_API);
        }
        scanLimit(2);
        final IncidentSummary s = summaries().summary(new SummaryQuery(TENANT, Duration.ofDays(7)));
        assertFalse(s.complete(), "8 changes over 3 instances: one has more than 2");
        assertTrue(s.timeToResolve().byPerson().count() < 8);
    }

    @Test
    void shouldAnswer503RatherThanAPartialSummaryWhenAnInstanceIsDown() {
        closed(Duration.ofHours(1), Duration.ofMinutes(1), Status.RESOLVED, TimelineEntry.SOURCE_API);
        final ClusterSummaries summaries = new ClusterSummaries(
                instances.get(HOSTS.get(0)),
                directory,
                (peer, tenant, from) -> peer.hostPort().equals(HOSTS.get(2))
                        ? CompletableFuture.failedFuture(new UnavailableException("down", Duration.ofSeconds(2)))
                        : CompletableFuture.completedFuture(
                                instances.get(peer.hostPort()).summary(tenant, from)),
                Clock.fixed(NOW, ZoneOffset.UTC));
        final UnavailableException e = assertThrows(
                UnavailableException.class, () -> summaries.summary(new SummaryQuery(TENANT, Duration.ofDays(7))));
        assertTrue(e.getMessage().contains("incomplete"), e.getMessage());
    }
}
