package io.incidentstream.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.incidentstream.model.Incident;
import io.incidentstream.query.ListQuery;
import io.incidentstream.query.LocalIncidentQueries;
import io.incidentstream.query.LocalPage;
import io.incidentstream.query.PeerClient;
import io.incidentstream.query.PeerDirectory;
import io.incidentstream.query.Stale;
import java.net.ConnectException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The network between simulated instances: a call to a peer is answered by that host's
 * {@link LocalIncidentQueries}, as an already completed future. A test can take a host down (every
 * call fails) or make its next call fail once, and reads which hosts were called. A host that is
 * not in the map refuses the connection, as a stopped instance would.
 */
public final class FakePeerClient implements PeerClient {
    private final Map<String, LocalIncidentQueries> instances;
    private final UnaryOperator<ListQuery> wire;
    private final Map<String, Throwable> down = new HashMap<>();
    private final Map<String, RuntimeException> failOnce = new HashMap<>();
    private final List<String> pageCalls = new CopyOnWriteArrayList<>();
    private final List<String> getCalls = new CopyOnWriteArrayList<>();

    /**
     * @param instances host → its local queries, read at each call, so a test may change who serves what
     * @param wire what becomes of a query on its way to the peer (e.g. encoded and parsed back)
     */
    public FakePeerClient(final Map<String, LocalIncidentQueries> instances, final UnaryOperator<ListQuery> wire) {
        this.instances = instances;
        this.wire = wire;
    }

    /** For a single instance, which must never call a peer: any call fails the test. */
    public static PeerClient none() {
        return new PeerClient() {
            @Override
            public CompletableFuture<LocalPage> page(final PeerDirectory.Peer peer, final ListQuery query) {
                throw new AssertionError("a single instance never calls a peer, but called " + peer);
            }

            @Override
            public CompletableFuture<Incident> get(
                    final PeerDirectory.Peer peer, final String tenant, final String id) {
                throw new AssertionError("a single instance never calls a peer, but called " + peer);
            }
        };
    }

    /** Every call to {@code host} fails with {@code failure} until the end of the test. */
    public FakePeerClient down(final String host, final Throwable failure) {
        down.put(host, failure);
        return this;
    }

    /** {@code host} answers again. */
    public FakePeerClient up(final String host) {
        down.remove(host);
        return this;
    }

    /** The next call to {@code host} fails with {@code failure}; later ones are answered. */
    public FakePeerClient failOnce(final String host, final RuntimeException failure) {
        failOnce.put(host, failure);
        return this;
    }

    /** Hosts asked for a page, in call order. */
    public List<String> pageCalls() {
        return List.copyOf(pageCalls);
    }

    /** Hosts asked for one incident, in call order. */
    public List<String> getCalls() {
        return List.copyOf(getCalls);
    }

    @Override
    public CompletableFuture<LocalPage> page(final PeerDirectory.Peer peer, final ListQuery query) {
        pageCalls.add(peer.hostPort());
        return answer(peer, local -> local.page(wire.apply(query)));
    }

    @Override
    public CompletableFuture<Incident> get(final PeerDirectory.Peer peer, final String tenant, final String id) {
        getCalls.add(peer.hostPort());
        return answer(peer, local -> local.get(tenant, id));
    }

    @Override
    public CompletableFuture<LocalPage> standbyPage(
            final PeerDirectory.Peer peer, final ListQuery query, final Set<Integer> partitions) {
        pageCalls.add(peer.hostPort());
        return answer(peer, local -> local.standbyPage(wire.apply(query), partitions));
    }

    @Override
    public CompletableFuture<Stale<Incident>> standbyGet(
            final PeerDirectory.Peer peer, final String tenant, final String id) {
        getCalls.add(peer.hostPort());
        return answer(peer, local -> local.standbyGet(tenant, id));
    }

    private <T> CompletableFuture<T> answer(
            final PeerDirectory.Peer peer, final Function<LocalIncidentQueries, T> call) {
        assertFalse(peer.self(), "the coordinator must not call itself over the network");
        final String host = peer.hostPort();
        final RuntimeException once = failOnce.remove(host);
        final Throwable failure = once != null ? once : down.get(host);
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        if (!instances.containsKey(host)) {
            return CompletableFuture.failedFuture(new ConnectException("connection refused: " + host));
        }
        try {
            return CompletableFuture.completedFuture(call.apply(instances.get(host)));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
