package io.incidentstream.query;

import java.util.List;
import java.util.Optional;

/**
 * Who serves which partitions right now, read from Kafka Streams' own metadata (never a hand-kept
 * list): every instance of the application advertises its {@code application.server}.
 */
public interface PeerDirectory {

    /** An instance: its {@code host:port} and whether it is this one. */
    record Peer(String hostPort, boolean self) {}

    /** Every instance hosting the incident stores (active or standby), this one included. */
    List<Peer> peers();

    /** The instance whose active task owns {@code partition}, if the group currently has one. */
    Optional<Peer> ownerOf(int partition);

    /** The instances keeping a standby copy of {@code partition}, this one first if it keeps one. */
    default List<Peer> standbysOf(final int partition) {
        return List.of();
    }

    /** Partitions of the input topic: the set a complete list must cover exactly once. */
    int partitionCount();
}
