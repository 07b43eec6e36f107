package io.incidentstream.http;

import io.incidentstream.auth.Authenticator;
import io.incidentstream.auth.Principal;
import io.incidentstream.auth.RateLimiter;
import io.incidentstream.auth.Scope;
import io.incidentstream.auth.TokenHashes;
import io.incidentstream.auth.TokenStore;
import io.incidentstream.ingest.AlertDecoder;
import io.incidentstream.model.CommandResult;
import io.incidentstream.model.Commands;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentCommand;
import io.incidentstream.model.IncidentId;
import io.incidentstream.query.ClusterFixture;
import io.incidentstream.query.ClusterIncidentQueries;
import io.incidentstream.query.CommandResultClient;
import io.incidentstream.query.CommandSink;
import io.incidentstream.query.IncidentWrites;
import io.incidentstream.query.LocalIncidentQueries;
import io.incidentstream.query.PageAssembler;
import io.incidentstream.testkit.FakePeerClient;
import io.incidentstream.testkit.FakePeerDirectory;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.Response;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

/**
 * One instance over real stores ({@link ClusterFixture}) and the real query and write services,
 * guarded by tokens of two tenants. Commands are applied by the real {@link Commands} rules as the
 * topology would, so a write of another tenant's id gets the owner's genuine 404.
 */
final class AuthFixture implements AutoCloseable {
    static final String ACME = ClusterFixture.TENANT;
    static final String GLOBEX = ClusterFixture.OTHER_TENANT;
    static final int PARTITIONS = 3;

    /** Token → scopes, all of tenant acme unless named globex. */
    static final String ALL = "acme-all-token";

    static final String ADMIN = "acme-admin-token";
    static final String NO_READ = "acme-no-read-token";
    static final String NO_WRITE = "acme-no-write-token";
    static final String NO_ALERTS = "acme-no-alerts-token";
    static final String GLOBEX_ALL = "globex-all-token";
    static final String PEER = "peer-secret";

    final ClusterFixture stores = new ClusterFixture(PARTITIONS);
    final List<IncidentCommand> commands = new CopyOnWriteArrayList<>();
    final List<Incident> acme;
    final List<Incident> globex;
    private final Map<String, CommandResult> results = new ConcurrentHashMap<>();

    AuthFixture() {
        acme = IntStream.range(0, PARTITIONS)
                .mapToObj(p -> stores.save(
                        ClusterFixture.incident(IncidentId.of(p, 1), ACME).build()))
                .toList();
        globex = IntStream.range(0, PARTITIONS)
                .mapToObj(p -> stores.save(
                        ClusterFixture.incident(IncidentId.of(p, 2), GLOBEX).build()))
                .toList();
    }

    static TokenStore tokens() {
        final Set<Scope> all =
                EnumSet.of(Scope.INCIDENTS_READ, Scope.INCIDENTS_WRITE, Scope.ALERTS_WRITE, Scope.SILENCES_WRITE);
        return TokenStore.of(List.of(
                principal(ALL, "ana", ACME, all),
                principal(ADMIN, "root", ACME, EnumSet.of(Scope.ADMIN)),
                principal(
                        NO_READ,
                        "no-read",
                        ACME,
                        EnumSet.of(Scope.INCIDENTS_WRITE, Scope.ALERTS_WRITE, Scope.SILENCES_WRITE)),
                principal(NO_WRITE, "no-write", ACME, EnumSet.of(Scope.INCIDENTS_READ, Scope.ALERTS_WRITE)),
                principal(NO_ALERTS, "no-alerts", ACME, EnumSet.of(Scope.INCIDENTS_READ, Scope.INCIDENTS_WRITE)),
                principal(GLOBEX_ALL, "gus", GLOBEX, all)));
    }

    private static Principal principal(
            final String token, final String subject, final String tenant, final Set<Scope> scopes) {
        return new Principal(subject, tenant, scopes, TokenHashes.sha256Hex(token));
    }

    /** The whole server over the fixture's stores, with auth on; {@code limiter} null: no rate limit. */
    HttpApi.Builder api(final RateLimiter limiter, final boolean metricsAuth) {
        return api(limiter, null, metricsAuth);
    }

    /** With {@code failures} limiting failed authentications per client address (null: not limited). */
    HttpApi.Builder api(final RateLimiter limiter, final RateLimiter failures, final boolean metricsAuth) {
        final LocalIncidentQueries local = stores.instance(Set.of(0, 1, 2));
        final ClusterIncidentQueries queries = new ClusterIncidentQueries(
                local,
                FakePeerDirectory.alone("self:1", PARTITIONS),
                FakePeerClient.none(),
                new PageAssembler(ClusterFixture.CURSORS));
        final IncidentWrites writes = new IncidentWrites(
                applyingSink(),
                new FakePeerDirectory("self:1", PARTITIONS)
                        .hosts(List.of("owner:1"))
                        .ownerOfEvery("owner:1"),
                local,
                (CommandResultClient) (peer, partition, id) -> CompletableFuture.completedFuture(results.get(id)),
                queries,
                Duration.ofSeconds(2));
        return HttpApi.builder(
                        queries,
                        new AlertDecoder(HttpFakes.TTL),
                        new HttpFakes.RecordingSink(),
                        new HttpFakes.FakeHealth())
                .peerEndpoints(local, Optional.of(PEER))
                .writes(writes)
                .auth(new Authenticator(AuthFixture::tokens, limiter, failures, metricsAuth));
    }

    /** Applies a command with the topology's rules and records its result where the owner would. */
    private CommandSink applyingSink() {
        final Commands rules = new Commands(HttpFakes.TTL);
        return (partition, command) -> {
            commands.add(command);
            final Incident current = command.incidentId() == null
                    ? null
                    : stores.all().stream()
                            .filter(i -> i.id().equals(command.incidentId()))
                            .findFirst()
                            .orElse(null);
            final Commands.Applied applied =
                    rules.apply(current, command, () -> IncidentId.of(partition, 100 + commands.size()));
            if (command.kind() == IncidentCommand.Kind.CREATE && applied.incident() != null) {
                stores.save(applied.incident());
            }
            results.put(command.commandId(), applied.result());
        };
    }

    /** A request with an optional bearer token and JSON body. */
    static Response send(
            final HttpClient client, final String method, final String path, final String token, final String body) {
        return client.request(path, b -> {
            final HttpRequest.BodyPublisher publisher = body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
            switch (method) {
                case "GET" -> b.get();
                case "POST" -> b.post(publisher);
                case "PATCH" -> b.patch(publisher);
                case "DELETE" -> b.delete(publisher);
                default -> throw new IllegalArgumentException(method);
            }
            b.header("Content-Type", "application/json");
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
        });
    }

    @Override
    public void close() {
        stores.close();
    }
}
