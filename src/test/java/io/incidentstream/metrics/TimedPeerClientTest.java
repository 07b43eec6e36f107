package io.incidentstream.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.incidentstream.model.Incident;
import io.incidentstream.query.ListQuery;
import io.incidentstream.query.LocalPage;
import io.incidentstream.query.PeerClient;
import io.incidentstream.query.PeerDirectory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class TimedPeerClientTest {
    private static final PeerDirectory.Peer FAST = new PeerDirectory.Peer("10.0.0.1:8080", false);
    private static final PeerDirectory.Peer BROKEN = new PeerDirectory.Peer("10.0.0.2:8080", false);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TimedPeerClient client = new TimedPeerClient(
            new PeerClient() {
                @Override
                public CompletableFuture<LocalPage> page(final PeerDirectory.Peer peer, final ListQuery query) {
                    return BROKEN.equals(peer)
                            ? CompletableFuture.failedFuture(new IllegalStateException("down"))
                            : CompletableFuture.completedFuture(new LocalPage(List.of(), Set.of(1), null));
                }

                @Override
                public CompletableFuture<Incident> get(
                        final PeerDirectory.Peer peer, final String tenant, final String id) {
                    return CompletableFuture.failedFuture(new IllegalStateException("down"));
                }
            },
            registry);

    @Test
    void shouldTimeEachPeerCallByPeerOperationAndOutcome() throws Exception {
        client.page(FAST, null).get();
        client.page(FAST, null).get();
        assertThrows(ExecutionException.class, () -> client.page(BROKEN, null).get());
        assertThrows(
                ExecutionException.class,
                () -> client.get(FAST, "t", "incident.1.1").get());

        assertEquals(2, count("10.0.0.1:8080", "page", "success"));
        assertEquals(1, count("10.0.0.2:8080", "page", "error"));
        assertEquals(1, count("10.0.0.1:8080", "get", "error"));
    }

    private long count(final String peer, final String operation, final String outcome) {
        return registry.get("incidents.peer.requests")
                .tags("peer", peer, "operation", operation, "outcome", outcome)
                .timer()
                .count();
    }
}
