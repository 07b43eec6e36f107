package io.incidentstream.http;

import static io.incidentstream.http.HttpFakes.json;
import static io.incidentstream.query.ClusterFixture.CURSORS;
import static io.incidentstream.query.ClusterFixture.OTHER_TENANT;
import static io.incidentstream.query.ClusterFixture.TENANT;
import static io.incidentstream.query.ClusterFixture.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.cluster.HttpPeerClient;
import io.incidentstream.errors.NotFoundException;
import io.incidentstream.errors.UnavailableException;
import io.incidentstream.ingest.AlertDecoder;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentId;
import io.incidentstream.query.ClusterFixture;
import io.incidentstream.query.ClusterIncidentQueries;
import io.incidentstream.query.IncidentPage;
import io.incidentstream.query.ListQuery;
import io.incidentstream.query.LocalIncidentQueries;
import io.incidentstream.query.LocalPage;
import io.incidentstream.query.PageAssembler;
import io.incidentstream.query.PeerDirectory;
import io.incidentstream.store.CursorCodec;
import io.incidentstream.testkit.FakePeerDirectory;
import io.javalin.Javalin;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import io.javalin.testtools.TestCase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code /internal/v1/*} behind the peer token, and {@link HttpPeerClient} talking to it over real HTTP. */
class InternalEndpointsTest {
    private static final String PEER_TOKEN = "s3cret";
    private static final String AUTH = "Bearer " + PEER_TOKEN;
    private static final Set<Integer> OWNED = Set.of(0, 1);
    private static final String LIST = "/internal/v1/incidents?tenant=" + TENANT;

    private final ClusterFixture cluster = new ClusterFixture(6).fill(120, 7);
    private final LocalIncidentQueries local = cluster.instance(OWNED);

    @AfterEach
    void close() {
        cluster.close();
    }

    private static Javalin app(final LocalIncidentQueries local) {
        return HttpApi.builder(
                        new HttpFakes.RecordingQueries(),
                        new AlertDecoder(HttpFakes.TTL),
                        new HttpFakes.RecordingSink(),
                        new HttpFakes.FakeHealth())
                .peerEndpoints(local, Optional.of(PEER_TOKEN))
                .build();
    }

    private void run(final TestCase test) {
        JavalinTest.test(app(local), test);
    }

    private static Response get(final HttpClient client, final String path, final String authorization) {
        return client.get(path, b -> {
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
        });
    }

    private static PeerDirectory.Peer peer(final Javalin server) {
        return new PeerDirectory.Peer("127.0.0.1:" + server.port(), false);
    }

    private static <T> Throwable failureOf(final CompletableFuture<T> future) {
        return assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS))
                .getCause();
    }

    private Incident stored(final String tenant, final boolean owned) {
        return cluster.all().stream()
                .filter(i -> i.tenantId().equals(tenant) && OWNED.contains(IncidentId.partitionOf(i.id())) == owned)
                .findFirst()
                .orElseThrow();
    }

    private static void assertUnauthorized(final Response response) {
        assertEquals(401, response.code(), response.body().string());
        assertEquals(List.of("Bearer"), response.headers().get("WWW-Authenticate"));
        assertTrue(json(response).path("message").isTextual(), response.body().string());
    }

    @Test
    void shouldRefuseACallWithoutThePeerToken() {
        final String id = stored(TENANT, true).id();
        run((server, client) -> {
            assertUnauthorized(get(client, LIST, null));
            assertUnauthorized(get(client, "/internal/v1/incidents/" + id + "?tenant=" + TENANT, null));
        });
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(
            strings = {
                "Bearer wrong",
                "Bearer s3cre",
                "Bearer s3cret2",
                "Bearer S3CRET",
                "s3cret",
                "Basic czNjcmV0",
                "Bearer"
            })
    void shouldRefuseAWrongPeerToken(final String authorization) {
        final String id = stored(TENANT, true).id();
        run((server, client) -> {
            assertUnauthorized(get(client, LIST, authorization));
            assertUnauthorized(get(client, "/internal/v1/incidents/" + id + "?tenant=" + TENANT, authorization));
        });
    }

    @Test
    void shouldServeNamedPartitionsFromStandbyCopiesWithTheirLagOverHttp() throws Exception {
        final LocalIncidentQueries standby = cluster.instance(OWNED, Set.of(2, 3), 9, 10_000);
        final Incident onTwo = cluster.all().stream()
                .filter(i -> i.tenantId().equals(TENANT) && IncidentId.partitionOf(i.id()) == 2)
                .findFirst()
                .orElseThrow();
        JavalinTest.test(app(standby), (server, client) -> {
            final HttpPeerClient peers = new HttpPeerClient(Duration.ofSeconds(5), Optional.of(PEER_TOKEN));
            final ListQuery q = query("limit=5&order=asc");
            final LocalPage page =
                    peers.standbyPage(peer(server), q, Set.of(2, 3)).get(10, TimeUnit.SECONDS);
            assertEquals(Set.of(2, 3), page.partitions());
            assertEquals(9L, page.staleness());
            assertEquals(
                    cluster.expected(q).stream()
                            .filter(i -> Set.of(2, 3).contains(IncidentId.partitionOf(i.id())))
                            .limit(6)
                            .map(Incident::id)
                            .toList(),
                    page.data().stream().map(Incident::id).toList());
            final var got = peers.standbyGet(peer(server), TENANT, onTwo.id()).get(10, TimeUnit.SECONDS);
            assertEquals(onTwo.id(), got.value().id());
            assertEquals(9L, got.staleness());
            assertInstanceOf(
                    UnavailableException.class,
                    failureOf(peers.standbyPage(peer(server), q, Set.of(4))),
                    "no copy of partition 4 here");
            assertEquals(400, get(client, LIST + "&standby=2;3", AUTH).code());
        });
    }

    @Test
    void shouldServeOnlyThisInstancesPartitionsAsALocalPage() {
        final List<String> expected = cluster.expected(query("order=asc")).stream()
                .filter(i -> OWNED.contains(IncidentId.partitionOf(i.id())))
                .map(Incident::id)
                .toList();
        run((server, client) -> {
            final Response response = get(client, LIST + "&limit=10&order=asc", AUTH);
            assertEquals(200, response.code(), response.body().string());
            final JsonNode body = json(response);
            final List<String> ids = new ArrayList<>();
            body.get("data").forEach(i -> ids.add(i.get("id").asText()));
            assertEquals(expected.subList(0, 11), ids, "limit + 1 items so the coordinator knows a next page exists");
            final List<Integer> partitions = new ArrayList<>();
            body.get("partitions").forEach(p -> partitions.add(p.asInt()));
            assertEquals(OWNED, Set.copyOf(partitions));
            assertEquals(OWNED.size(), partitions.size());
            assertFalse(body.has("count"));
            assertFalse(body.get("data").get(0).has("timeline"), "list items carry no timeline");
            assertEquals(
                    expected.size(),
                    json(get(client, LIST + "&includeCount=true", AUTH))
                            .get("count")
                            .asInt());
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "/internal/v1/incidents?limit=10",
                "/internal/v1/incidents?tenant=&limit=10",
                "/internal/v1/incidents?tenant=acme&tenant=globex",
                "/internal/v1/incidents/incident.0.1",
                "/internal/v1/incidents?tenant=acme&limit=0",
                "/internal/v1/incidents?tenant=acme&nextToken=garbage",
                "/internal/v1/incidents?tenant=acme&stauts=ACTIVE"
            })
    void shouldAnswerBadRequestForAMalformedInternalCall(final String path) {
        run((server, client) -> {
            final Response response = get(client, path, AUTH);
            assertEquals(400, response.code(), response.body().string());
            assertTrue(json(response).path("message").isTextual());
        });
    }

    @Test
    void shouldGetFromThisInstancesStoresOnly() {
        final Incident mine = stored(TENANT, true);
        run((server, client) -> {
            final Response found = get(client, "/internal/v1/incidents/" + mine.id() + "?tenant=" + TENANT, AUTH);
            assertEquals(200, found.code(), found.body().string());
            assertEquals(mine.id(), json(found).get("id").asText());
            assertTrue(json(found).get("timeline").isArray());
            assertEquals(
                    404,
                    get(client, "/internal/v1/incidents/" + mine.id() + "?tenant=" + OTHER_TENANT, AUTH)
                            .code());
            assertEquals(
                    404,
                    get(client, "/internal/v1/incidents/incident.0.zzzz?tenant=" + TENANT, AUTH)
                            .code());
            final Response elsewhere = get(
                    client, "/internal/v1/incidents/" + stored(TENANT, false).id() + "?tenant=" + TENANT, AUTH);
            assertEquals(503, elsewhere.code());
            assertNotNull(elsewhere.headers().get("Retry-After"));
        });
    }

    @Test
    void shouldReadThePeersPageAndIncidentOverHttp() {
        final HttpPeerClient peers = new HttpPeerClient(Duration.ofSeconds(5), Optional.of(PEER_TOKEN));
        final Incident mine = stored(TENANT, true);
        run((server, client) -> {
            final List<ListQuery> queries = new ArrayList<>(List.of(
                    query("limit=7"),
                    query("order=asc&sort=updatedAt&includeCount=true"),
                    query("status=ACTIVE,RESOLVED&severity=high,low&limit=3"),
                    query("alertId=a%26b%3Dc%2Fd%20%25"),
                    query("source=manual&createdAfter=2026-03-01T00:00:10%2B01:00")));
            final LocalPage first = local.page(query("limit=7"));
            final Incident last = first.data().get(6);
            queries.add(query("limit=7&nextToken="
                    + CURSORS.encode(
                            query("").canonical(),
                            new CursorCodec.Position(last.createdAt().toEpochMilli(), last.id()))));
            for (ListQuery q : queries) {
                assertEquals(local.page(q), peers.page(peer(server), q).get(10, TimeUnit.SECONDS), q.toString());
            }
            assertEquals(mine, peers.get(peer(server), TENANT, mine.id()).get(10, TimeUnit.SECONDS));
        });
    }

    @Test
    void shouldMapThePeersRefusalsToTheQueryErrors() {
        final HttpPeerClient peers = new HttpPeerClient(Duration.ofSeconds(5), Optional.of(PEER_TOKEN));
        final HttpPeerClient impostor = new HttpPeerClient(Duration.ofSeconds(5), Optional.of("guess"));
        final Incident mine = stored(TENANT, true);
        run((server, client) -> {
            assertInstanceOf(NotFoundException.class, failureOf(peers.get(peer(server), TENANT, "incident.0.zzzz")));
            assertInstanceOf(NotFoundException.class, failureOf(peers.get(peer(server), OTHER_TENANT, mine.id())));
            final Throwable notServed = failureOf(
                    peers.get(peer(server), TENANT, stored(TENANT, false).id()));
            assertInstanceOf(UnavailableException.class, notServed, "503 from the peer");
            assertInstanceOf(
                    UnavailableException.class,
                    failureOf(impostor.get(peer(server), TENANT, mine.id())),
                    "401 is no 404");
            assertInstanceOf(UnavailableException.class, failureOf(impostor.page(peer(server), query(""))));
        });
        final HttpPeerClient restoring = new HttpPeerClient(Duration.ofSeconds(5), Optional.of(PEER_TOKEN));
        JavalinTest.test(
                app(cluster.restoringInstance()),
                (server, client) -> assertInstanceOf(
                        UnavailableException.class, failureOf(restoring.page(peer(server), query("")))));
    }

    @Test
    void shouldGiveUpOnAPeerThatNeverAnswersAfterTheTimeout() throws IOException {
        final HttpPeerClient peers = new HttpPeerClient(Duration.ofMillis(300), Optional.of(PEER_TOKEN));
        final List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0)) {
            final Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            final PeerDirectory.Peer hung = new PeerDirectory.Peer("127.0.0.1:" + silent.getLocalPort(), false);
            final long start = System.nanoTime();
            assertInstanceOf(
                    HttpTimeoutException.class,
                    assertInstanceOf(UnavailableException.class, failureOf(peers.page(hung, query(""))))
                            .getCause());
            assertInstanceOf(
                    HttpTimeoutException.class,
                    assertInstanceOf(UnavailableException.class, failureOf(peers.get(hung, TENANT, "incident.0.1")))
                            .getCause());
            final Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(
                    took.compareTo(Duration.ofMillis(600)) >= 0 && took.compareTo(Duration.ofSeconds(3)) < 0,
                    "took " + took);
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void shouldListAndGetAcrossThreeInstancesOverHttp() {
        final List<Set<Integer>> owned = List.of(Set.of(0, 1), Set.of(2, 3), Set.of(4, 5));
        final List<Javalin> servers = new ArrayList<>();
        try {
            for (Set<Integer> partitions : owned) {
                servers.add(app(cluster.instance(partitions)).start(0));
            }
            final List<String> hosts =
                    servers.stream().map(s -> "127.0.0.1:" + s.port()).toList();
            final FakePeerDirectory directory = new FakePeerDirectory(hosts.get(1), 6).hosts(hosts);
            for (int p = 0; p < 6; p++) {
                directory.owner(p, hosts.get(p / 2));
            }
            final ClusterIncidentQueries coordinator = new ClusterIncidentQueries(
                    cluster.instance(owned.get(1)),
                    directory,
                    new HttpPeerClient(Duration.ofSeconds(5), Optional.of(PEER_TOKEN)),
                    new PageAssembler(CURSORS));
            final String params = "status=ACTIVE,ACKNOWLEDGED,RESOLVED&limit=10&order=asc";
            final List<Incident> listed = new ArrayList<>();
            IncidentPage page = coordinator.list(query(params));
            listed.addAll(page.data());
            while (page.nextToken() != null) {
                page = coordinator.list(query(params + "&nextToken=" + page.nextToken()));
                listed.addAll(page.data());
            }
            assertEquals(cluster.expected(query(params)), listed);
            for (Incident i : cluster.all()) {
                assertEquals(i, coordinator.get(i.tenantId(), i.id()), i.id());
            }
        } finally {
            servers.forEach(Javalin::stop);
        }
    }
}
