package io.incidentstream.query;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.incidentstream.model.Incident;
import java.net.ConnectException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** The network and the group metadata of {@link ClusterIncidentQueriesTest}'s simulated cluster. */
final class ClusterFakes {
    private ClusterFakes() {}

    /** Peers per host, reached "over the wire" (query string out and parsed back in), as completed futures. */
    static final class Peers implements PeerClient {
        private final Map<String, LocalIncidentQueries> instances;
        final Map<String, Throwable> down = new HashMap<>();
        final Map<String, RuntimeException> failOnce = new HashMap<>();
        final List<String> pageCalls = new ArrayList<>();
        final List<String> getCalls = new ArrayList<>();

        /** {@code instances} is read at each call, so a test may change who serves what. */
        Peers(final Map<String, LocalIncidentQueries> instances) {
            this.instances = instances;
        }

        @Override
        public CompletableFuture<LocalPage> page(final PeerDirectory.Peer peer, final ListQuery query) {
            pageCalls.add(peer.hostPort());
            return answer(peer, local -> local.page(ClusterFixture.overTheWire(query)));
        }

        @Override
        public CompletableFuture<Incident> get(final PeerDirectory.Peer peer, final String tenant, final String id) {
            getCalls.add(peer.hostPort());
            return answer(peer, local -> local.get(tenant, id));
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

    /** Metadata as one instance sees it: {@code rounds} are the host lists of successive peers() calls, the last repeating. */
    static final class Directory implements PeerDirectory {
        final String self;
        final Deque<List<String>> rounds = new ArrayDeque<>();
        final Map<Integer, String> owners = new HashMap<>();
        private final int partitionCount;
        int peersCalls;

        Directory(final String self, final int partitionCount) {
            this.self = self;
            this.partitionCount = partitionCount;
        }

        @Override
        public List<Peer> peers() {
            peersCalls++;
            final List<String> hosts = rounds.size() > 1 ? rounds.poll() : rounds.peek();
            return hosts.stream().map(h -> new Peer(h, h.equals(self))).toList();
        }

        @Override
        public Optional<Peer> ownerOf(final int partition) {
            return Optional.ofNullable(owners.get(partition)).map(h -> new Peer(h, h.equals(self)));
        }

        @Override
        public int partitionCount() {
            return partitionCount;
        }
    }
}
