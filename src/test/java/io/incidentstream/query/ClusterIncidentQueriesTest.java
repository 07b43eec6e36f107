package io.incidentstream.query;

import static io.incidentstream.query.ClusterFixture.CURSORS;
import static io.incidentstream.query.ClusterFixture.OTHER_TENANT;
import static io.incidentstream.query.ClusterFixture.TENANT;
import static io.incidentstream.query.ClusterFixture.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.incidentstream.errors.BadRequestException;
import io.incidentstream.errors.NotFoundException;
import io.incidentstream.errors.UnavailableException;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentId;
import io.incidentstream.store.CursorCodec;
import io.incidentstream.testkit.FakePeerClient;
import io.incidentstream.testkit.FakePeerDirectory;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The list and get a client sees from any instance of a three-instance group over six partitions,
 * each instance a real {@link LocalIncidentQueries} over in-memory stores of its own partitions.
 */
class ClusterIncidentQueriesTest {
    private static final int PARTITIONS = 6;
    private static final List<String> HOSTS = List.of("node-a:7070", "node-b:7070", "node-c:7070");
    private static final List<Set<Integer>> OWNED = List.of(Set.of(0, 1), Set.of(2, 3), Set.of(4, 5));

    private final ClusterFixture cluster = new ClusterFixture(PARTITIONS).fill(300, 42);
    private final Map<String, LocalIncidentQueries> instances = new LinkedHashMap<>();
    private final FakePeerClient peers = new FakePeerClient(instances, ClusterFixture::overTheWire);

    ClusterIncidentQueriesTest() {
        for (int i = 0; i < HOSTS.size(); i++) {
            instances.put(HOSTS.get(i), cluster.instance(OWNED.get(i)));
        }
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    private FakePeerDirectory directory(final String self) {
        final FakePeerDirectory d = new FakePeerDirectory(self, PARTITIONS).hosts(HOSTS);
        for (int i = 0; i < HOSTS.size(); i++) {
            for (int p : OWNED.get(i)) {
                d.owner(p, HOSTS.get(i));
            }
        }
        return d;
    }

    private ClusterIncidentQueries coordinator(final FakePeerDirectory d) {
        final LocalIncidentQueries local = instances.getOrDefault(d.self(), cluster.instance(Set.of()));
        return new ClusterIncidentQueries(local, d, peers, new PageAssembler(CURSORS));
    }

    private ClusterIncidentQueries coordinator(final int self) {
        return coordinator(directory(HOSTS.get(self)));
    }

    /** Follows nextToken to the end, asking instance {@code selves[n % selves.length]} for page n. */
    private List<Incident> pageThrough(final String params, final int... selves) {
        final List<Incident> all = new ArrayList<>();
        String token = null;
        for (int n = 0; n < 1_000; n++) {
            final ListQuery q = query(params + (token == null ? "" : "&nextToken=" + token));
            final IncidentPage page = coordinator(selves[n % selves.length]).list(q);
            all.addAll(page.data());
            if (page.nextToken() == null) {
                return all;
            }
            assertEquals(q.limit(), page.data().size(), "only the last page may be short");
            token = page.nextToken();
        }
        return fail("no last page");
    }

    private static List<String> ids(final List<Incident> incidents) {
        return incidents.stream().map(Incident::id).toList();
    }

    private void assertCompleteInOrder(final String params, final int... selves) {
        final List<Incident> expected = cluster.expected(query(params));
        assertFalse(expected.isEmpty(), "the fixture should match " + params);
        final List<Incident> listed = pageThrough(params, selves);
        assertEquals(ids(expected), ids(listed), params);
        assertEquals(expected, listed, params);
        assertEquals(listed.size(), new HashSet<>(ids(listed)).size(), "an incident was listed twice");
    }

    @ParameterizedTest(name = "self={0} {1}")
    @CsvSource({
        "0, limit=10",
        "1, limit=10",
        "2, limit=10",
        "0, limit=50&order=asc",
        "1, limit=50&order=asc",
        "2, limit=50&order=asc",
        "1, limit=1&order=asc",
        "2, limit=100",
        "0, limit=13&sort=updatedAt",
        "1, limit=10&sort=updatedAt&order=asc"
    })
    void shouldListEveryIncidentExactlyOnceInGlobalOrder(final int self, final String params) {
        assertCompleteInOrder(params, self);
    }

    @Test
    void shouldContinueAPageOnWhicheverInstanceTheNextRequestReaches() {
        assertCompleteInOrder("limit=10", 0, 1, 2);
        assertCompleteInOrder("limit=50&order=asc", 2, 0, 1);
    }

    @Test
    void shouldAnswerTheSamePageAndTokenOnEveryInstance() {
        final ListQuery first = query("limit=10");
        final IncidentPage page = coordinator(0).list(first);
        assertNotNull(page.nextToken());
        assertEquals(page, coordinator(1).list(first));
        assertEquals(page, coordinator(2).list(first));
        final ListQuery second = query("limit=10&nextToken=" + page.nextToken());
        assertEquals(coordinator(0).list(second), coordinator(2).list(second));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "status=ACTIVE,ACKNOWLEDGED&limit=7",
                "severity=critical&limit=10&order=asc",
                "status=RESOLVED&severity=low,medium&limit=5",
                "status=EXPIRED&sort=updatedAt&limit=3&order=asc",
                "alertTemplateId=template-3&limit=4",
                "alertTemplateId=template-1&status=RESOLVED,EXPIRED&sort=updatedAt&order=asc&limit=3",
                "alertTemplateId=template-2&severity=low&source=automated&limit=2",
                "source=manual&severity=high,critical&limit=6",
                "createdAfter=2026-03-01T00:00:10Z&createdBefore=2026-03-01T00:00:20Z&limit=9",
                "createdAfter=2026-03-01T00:00:30Z&sort=updatedAt&status=ACTIVE&limit=2",
                "alertId=alert-17"
            })
    void shouldMergeFilteredListsFromEveryInstance(final String params) {
        assertCompleteInOrder(params, 1);
    }

    @Test
    void shouldSumTheCountOfEveryInstanceOnEveryPage() {
        final int total = cluster.expected(query("")).size();
        final IncidentPage first = coordinator(0).list(query("limit=10&includeCount=true"));
        assertEquals(total, first.count());
        assertEquals(
                total,
                coordinator(2)
                        .list(query("limit=10&includeCount=true&nextToken=" + first.nextToken()))
                        .count());
        for (String filter : List.of(
                "status=ACTIVE", "severity=low,high&order=asc", "alertTemplateId=template-1", "source=manual")) {
            assertEquals(
                    cluster.expected(query(filter)).size(),
                    coordinator(1).list(query(filter + "&includeCount=true")).count(),
                    filter);
        }
        assertNull(coordinator(0).list(query("limit=10")).count(), "count only when asked");
    }

    @Test
    void shouldNeverListAnotherTenantsIncidents() {
        final List<Incident> listed = pageThrough("limit=100", 0);
        assertTrue(listed.stream().allMatch(i -> i.tenantId().equals(TENANT)));
        final List<Incident> others = coordinator(1)
                .list(ListQueryParser.parse(OTHER_TENANT, Map.of("limit", List.of("100"))))
                .data();
        assertEquals(
                cluster.all().stream()
                        .filter(i -> i.tenantId().equals(OTHER_TENANT))
                        .count(),
                others.size());
    }

    @Test
    void shouldRetryOnceThenRefuseWhenAPeerKeepsFailing() {
        peers.down(HOSTS.get(1), new HttpTimeoutException("request timed out"));
        final FakePeerDirectory d = directory(HOSTS.get(0));
        final UnavailableException e =
                assertThrows(UnavailableException.class, () -> coordinator(d).list(query("limit=10")));
        assertEquals(2, d.peersCalls(), "metadata read again for one retry, no more");
        assertEquals(2, peers.pageCalls().stream().filter(HOSTS.get(1)::equals).count());
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
        assertTrue(e.retryAfter().compareTo(Duration.ZERO) > 0);
    }

    /** Host 1 is down; host 2 keeps standby copies of its partitions 2 and 3, lagging {@code lag} records. */
    private FakePeerDirectory withHost1Restarting(final String self, final long lag, final long maxStaleness) {
        peers.down(HOSTS.get(1), new ConnectException("connection refused"));
        instances.put(HOSTS.get(2), cluster.instance(OWNED.get(2), Set.of(2, 3), lag, maxStaleness));
        return directory(self).standby(2, HOSTS.get(2)).standby(3, HOSTS.get(2));
    }

    @Test
    void shouldServeARestartingInstancesPartitionsFromAStandbySayingHowStale() {
        final FakePeerDirectory d = withHost1Restarting(HOSTS.get(0), 7, 10_000);
        final ClusterIncidentQueries queries = coordinator(d);
        final List<Incident> expected = cluster.expected(query(""));
        final List<Incident> listed = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            pages++;
            final IncidentPage page = queries.list(query("limit=17" + (token == null ? "" : "&nextToken=" + token)));
            assertEquals(7L, page.staleness(), "every page reads partitions 2 and 3 from the standby");
            listed.addAll(page.data());
            token = page.nextToken();
        } while (token != null);
        assertEquals(ids(expected), ids(listed), "complete, in order, each once");
        assertEquals(pages, d.peersCalls(), "no retry: the standby covered the gap in the same round");
    }

    @Test
    void shouldContinueAStalePageFromTheActiveOnceItIsBack() {
        final FakePeerDirectory d = withHost1Restarting(HOSTS.get(0), 0, 10_000);
        final IncidentPage first = coordinator(d).list(query("limit=25&order=asc"));
        assertEquals(0L, first.staleness());
        peers.up(HOSTS.get(1));
        final IncidentPage second =
                coordinator(directory(HOSTS.get(0))).list(query("limit=25&order=asc&nextToken=" + first.nextToken()));
        assertNull(second.staleness(), "the actives answered");
        final List<Incident> expected = cluster.expected(query("order=asc"));
        assertEquals(ids(expected.subList(0, 50)), ids(concat(first.data(), second.data())));
    }

    @Test
    void shouldCountExactlyWithPartitionsFromAStandby() {
        final IncidentPage page = coordinator(withHost1Restarting(HOSTS.get(0), 3, 10_000))
                .list(query("limit=5&includeCount=true&status=ACTIVE"));
        assertEquals(cluster.expected(query("status=ACTIVE")).size(), page.count());
        assertTrue(page.countExact());
    }

    @Test
    void shouldStillRefuseWhenTheStandbyLagsBeyondTheBound() {
        final FakePeerDirectory d = withHost1Restarting(HOSTS.get(0), 10_001, 10_000);
        final UnavailableException e =
                assertThrows(UnavailableException.class, () -> coordinator(d).list(query("limit=10")));
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void shouldGetFromAStandbyWhenTheOwnerIsRestarting() {
        final Incident wanted = cluster.all().stream()
                .filter(i -> IncidentId.partitionOf(i.id()) == 3 && i.tenantId().equals(TENANT))
                .findFirst()
                .orElseThrow();
        final Stale<Incident> got =
                coordinator(withHost1Restarting(HOSTS.get(0), 4, 10_000)).getStale(TENANT, wanted.id());
        assertEquals(wanted, got.value());
        assertEquals(4L, got.staleness());
        // a standby copy without the incident (here: another tenant's) cannot prove it absent: 503, not 404
        assertThrows(
                UnavailableException.class,
                () -> coordinator(withHost1Restarting(HOSTS.get(0), 4, 10_000)).get(OTHER_TENANT, wanted.id()));
    }

    private static List<Incident> concat(final List<Incident> a, final List<Incident> b) {
        final List<Incident> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void shouldRefuseWhenThisInstancesOwnStoresAreNotQueryable() {
        instances.put(HOSTS.get(2), cluster.restoringInstance());
        final FakePeerDirectory d = directory(HOSTS.get(2));
        assertThrows(UnavailableException.class, () -> coordinator(d).list(query("limit=10")));
        assertEquals(2, d.peersCalls());
    }

    @Test
    void shouldAnswerCompletelyWhenTheRetryFindsThePeerBack() {
        peers.failOnce(HOSTS.get(2), new UnavailableException("peer answered 503", Duration.ofSeconds(1)));
        final FakePeerDirectory d = directory(HOSTS.get(0));
        final IncidentPage page = coordinator(d).list(query("limit=10"));
        assertEquals(cluster.expected(query("")).subList(0, 10), page.data());
        assertEquals(2, d.peersCalls());
    }

    @Test
    void shouldAnswerCompletelyWhenTheRetryReadsFreshMetadata() {
        final FakePeerDirectory d = directory(HOSTS.get(1));
        d.hostsOnce(List.of(HOSTS.get(0), HOSTS.get(1), "node-c-before-restart:7070"));
        final IncidentPage page = coordinator(d).list(query("limit=50&order=asc&includeCount=true"));
        assertEquals(cluster.expected(query("order=asc")).subList(0, 50), page.data());
        assertEquals(cluster.expected(query("")).size(), page.count());
        assertEquals(2, d.peersCalls());
    }

    @Test
    void shouldRefuseWhenTwoInstancesServeTheSamePartition() {
        instances.put(HOSTS.get(1), cluster.instance(Set.of(1, 2, 3)));
        final UnavailableException overlap =
                assertThrows(UnavailableException.class, () -> coordinator(0).list(query("")));
        assertTrue(overlap.getMessage().contains("served twice [1]"), overlap.getMessage());

        instances.put(HOSTS.get(1), cluster.instance(OWNED.get(1)));
        instances.put("node-d:7070", cluster.instance(Set.of(4, 5)));
        final FakePeerDirectory d = directory(HOSTS.get(0));
        d.hosts(List.of(HOSTS.get(0), HOSTS.get(1), HOSTS.get(2), "node-d:7070"));
        final UnavailableException standby =
                assertThrows(UnavailableException.class, () -> coordinator(d).list(query("")));
        assertTrue(standby.getMessage().contains("served twice [4, 5]"), standby.getMessage());
        assertEquals(2, d.peersCalls());
    }

    @Test
    void shouldRefuseWhenNoInstanceServesAPartition() {
        instances.put(HOSTS.get(2), cluster.instance(Set.of(4)));
        final UnavailableException e =
                assertThrows(UnavailableException.class, () -> coordinator(1).list(query("")));
        assertTrue(e.getMessage().contains("missing [5]"), e.getMessage());

        final FakePeerDirectory d = directory(HOSTS.get(0));
        d.hosts(HOSTS.subList(0, 2));
        instances.put(HOSTS.get(2), cluster.instance(OWNED.get(2)));
        final UnavailableException gone =
                assertThrows(UnavailableException.class, () -> coordinator(d).list(query("")));
        assertTrue(gone.getMessage().contains("missing [4, 5]"), gone.getMessage());
    }

    @Test
    void shouldAnswerBadRequestNotUnavailableForABadToken() {
        final IncidentPage first = coordinator(0).list(query("limit=10&status=ACTIVE"));
        final String token = first.nextToken();
        final char flipped = token.charAt(5) == 'A' ? 'B' : 'A';
        final String foreign = new CursorCodec("another-secret".getBytes(StandardCharsets.UTF_8))
                .encode(query("status=ACTIVE").canonical(), new CursorCodec.Position(1, "incident.1.1"));
        final List<String> bad = List.of(
                token.substring(0, 5) + flipped + token.substring(6), token.substring(1), "not-a-token", foreign);
        for (String candidate : bad) {
            for (String self : List.of(HOSTS.get(0), "coordinator-without-partitions:7070")) {
                final FakePeerDirectory d = directory(self);
                assertThrows(
                        BadRequestException.class,
                        () -> coordinator(d).list(query("limit=10&status=ACTIVE&nextToken=" + candidate)),
                        candidate + " via " + self);
                assertEquals(1, d.peersCalls(), "a client error is not retried");
            }
        }
        final FakePeerDirectory d = directory(HOSTS.get(2));
        assertThrows(
                BadRequestException.class,
                () -> coordinator(d).list(query("limit=10&status=RESOLVED&nextToken=" + token)),
                "a token belongs to its filters");
    }

    @Test
    void shouldGetFromThisInstanceWhenItOwnsThePartition() {
        final Incident stored = owned(1);
        assertEquals(stored, coordinator(0).get(TENANT, stored.id()));
        assertFalse(stored.timeline().isEmpty(), "get shows the timeline");
        assertTrue(peers.getCalls().isEmpty());
    }

    @Test
    void shouldGetFromTheOwningPeer() {
        final Incident stored = owned(4);
        assertEquals(stored, coordinator(0).get(TENANT, stored.id()));
        assertEquals(List.of(HOSTS.get(2)), peers.getCalls());
    }

    @Test
    void shouldAnswerNotFoundForAnUnknownIdOrAnotherTenantsIncident() {
        final Incident foreignRemote = cluster.all().stream()
                .filter(i -> i.tenantId().equals(OTHER_TENANT) && IncidentId.partitionOf(i.id()) >= 2)
                .findFirst()
                .orElseThrow();
        final Incident foreignLocal = cluster.all().stream()
                .filter(i -> i.tenantId().equals(OTHER_TENANT) && IncidentId.partitionOf(i.id()) < 2)
                .findFirst()
                .orElseThrow();
        assertThrows(NotFoundException.class, () -> coordinator(0).get(TENANT, foreignRemote.id()));
        assertThrows(NotFoundException.class, () -> coordinator(0).get(TENANT, foreignLocal.id()));
        assertThrows(NotFoundException.class, () -> coordinator(0).get(TENANT, IncidentId.of(1, 999_999)));
        assertThrows(NotFoundException.class, () -> coordinator(0).get(TENANT, IncidentId.of(5, 999_999)));
        assertEquals(foreignRemote, coordinator(0).get(OTHER_TENANT, foreignRemote.id()));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(
            strings = {
                "incident.6.1",
                "incident.99999.1",
                "incident.1",
                "incident.a.1",
                "nope",
                "",
                "INCIDENT.1.1",
                "incident.1.1/../2",
                "incident.-1.1",
                "incident.1.ZZ"
            })
    void shouldAnswerNotFoundForIdsNoPartitionCouldHold(final String id) {
        final FakePeerDirectory d = directory(HOSTS.get(0));
        assertThrows(NotFoundException.class, () -> coordinator(d).get(TENANT, id));
        assertTrue(peers.getCalls().isEmpty());
    }

    @Test
    void shouldAnswerUnavailableWhenNoInstanceOwnsThePartition() {
        final FakePeerDirectory d = directory(HOSTS.get(0));
        d.noOwner(3);
        assertThrows(UnavailableException.class, () -> coordinator(d).get(TENANT, owned(3).id()));
        assertTrue(peers.getCalls().isEmpty());
    }

    @Test
    void shouldAnswerUnavailableNamingThePartitionNotTheHostWhenTheOwnerDoesNotAnswer() {
        peers.down(HOSTS.get(1), new ConnectException("Connection refused: " + HOSTS.get(1)));
        try (CapturedLog log = CapturedLog.of(ClusterIncidentQueries.class)) {
            final UnavailableException e = assertThrows(
                    UnavailableException.class, () -> coordinator(0).get(TENANT, owned(2).id()));
            assertEquals("the owner of partition 2 did not answer: ConnectException", e.getMessage());
            assertTrue(log.text().contains(HOSTS.get(1)), "the log names the owner: " + log.text());
        }
    }

    @Test
    void shouldRefuseAnIncompleteListNamingNoHostWhileTheLogNamesThem() {
        peers.down(HOSTS.get(1), new ConnectException("Connection refused: " + HOSTS.get(1)));
        peers.down(
                HOSTS.get(2),
                new UnavailableException("an instance did not answer within 2000 ms", Duration.ofSeconds(2)));
        try (CapturedLog log = CapturedLog.of(ClusterIncidentQueries.class)) {
            final UnavailableException e = assertThrows(
                    UnavailableException.class, () -> coordinator(0).list(query("limit=10")));
            assertEquals(
                    "the list would be incomplete (partitions missing [2, 3, 4, 5], served twice []; 2 instance(s) "
                            + "failed: [ConnectException, an instance did not answer within 2000 ms]); the group is "
                            + "rebalancing or an instance is down",
                    e.getMessage());
            for (String host : HOSTS) {
                assertFalse(e.getMessage().contains(host.substring(0, host.indexOf(':'))), e.getMessage());
            }
            assertTrue(log.text().contains(HOSTS.get(1)) && log.text().contains(HOSTS.get(2)), log.text());
        }
    }

    private Incident owned(final int partition) {
        return cluster.all().stream()
                .filter(i -> i.tenantId().equals(TENANT) && IncidentId.partitionOf(i.id()) == partition)
                .findFirst()
                .orElseThrow();
    }
}
