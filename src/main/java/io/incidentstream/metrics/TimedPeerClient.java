package io.incidentstream.metrics;

import io.incidentstream.model.Incident;
import io.incidentstream.query.ListQuery;
import io.incidentstream.query.LocalPage;
import io.incidentstream.query.PeerClient;
import io.incidentstream.query.PeerDirectory;
import io.incidentstream.query.Stale;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Fan-out latency by peer: {@code incidents.peer.requests{peer, operation=page|get|standby-page|standby-get, outcome}}.
 * The {@code peer} tag is the peer's {@code host:port}, bounded by the number of instances, so a
 * slow or failing instance stands out on a dashboard without tagging by incident.
 */
public final class TimedPeerClient implements PeerClient {
    private final PeerClient delegate;
    private final MeterRegistry registry;

    public TimedPeerClient(final PeerClient delegate, final MeterRegistry registry) {
        this.delegate = delegate;
        this.registry = registry;
    }

    @Override
    public CompletableFuture<LocalPage> page(final PeerDirectory.Peer peer, final ListQuery query) {
        return timed(peer, "page", delegate.page(peer, query));
    }

    @Override
    public CompletableFuture<Incident> get(final PeerDirectory.Peer peer, final String tenant, final String id) {
        return timed(peer, "get", delegate.get(peer, tenant, id));
    }

    @Override
    public CompletableFuture<LocalPage> standbyPage(
            final PeerDirectory.Peer peer, final ListQuery query, final Set<Integer> partitions) {
        return timed(peer, "standby-page", delegate.standbyPage(peer, query, partitions));
    }

    @Override
    public CompletableFuture<Stale<Incident>> standbyGet(
            final PeerDirectory.Peer peer, final String tenant, final String id) {
        return timed(peer, "standby-get", delegate.standbyGet(peer, tenant, id));
    }

    private <T> CompletableFuture<T> timed(
            final PeerDirectory.Peer peer, final String operation, final CompletableFuture<T> call) {
        final Timer.Sample sample = Timer.start(registry);
        return call.whenComplete((result, error) -> sample.stop(Timer.builder("incidents.peer.requests")
                .description("Calls to other instances during scatter-gather lists and routed gets")
                .tag("peer", peer.hostPort())
                .tag("operation", operation)
                .tag("outcome", error == null ? "success" : "error")
                .register(registry)));
    }
}
