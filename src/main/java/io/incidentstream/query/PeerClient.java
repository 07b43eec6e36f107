package io.incidentstream.query;

import io.incidentstream.model.Incident;
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
}
