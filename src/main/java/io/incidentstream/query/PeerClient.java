package io.incidentstream.query;

import io.incidentstream.errors.UnavailableException;
import io.incidentstream.model.Incident;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Calls another instance's internal endpoints. Failures complete the future exceptionally. */
public interface PeerClient {

    /** The peer's {@link LocalPage} for the same query and cursor. */
    CompletableFuture<LocalPage> page(PeerDirectory.Peer peer, ListQuery query);

    /**
     * The incident from its owner.
     *
     * @return a future completing with the incident, or exceptionally with
     *         {@link io.incidentstream.errors.NotFoundException} / {@link io.incidentstream.errors.UnavailableException}
     */
    CompletableFuture<Incident> get(PeerDirectory.Peer peer, String tenant, String id);

    /** The peer's page from its standby copies of {@code partitions} ({@link LocalIncidentQueries#standbyPage}). */
    default CompletableFuture<LocalPage> standbyPage(
            final PeerDirectory.Peer peer, final ListQuery query, final Set<Integer> partitions) {
        return CompletableFuture.failedFuture(
                new UnavailableException("standby reads are not supported here", Duration.ofSeconds(2)));
    }

    /** The incident from the peer's standby copy of its partition, with the copy's lag. */
    default CompletableFuture<Stale<Incident>> standbyGet(
            final PeerDirectory.Peer peer, final String tenant, final String id) {
        return CompletableFuture.failedFuture(
                new UnavailableException("standby reads are not supported here", Duration.ofSeconds(2)));
    }
}
