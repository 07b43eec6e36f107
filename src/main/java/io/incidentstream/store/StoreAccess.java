package io.incidentstream.store;

import io.incidentstream.errors.UnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Where the query side gets its stores from: the running Kafka Streams instance, or a test fixture. */
public interface StoreAccess {

    /**
     * The stores of every partition this instance serves as active, in partition order.
     *
     * @throws io.incidentstream.errors.UnavailableException when the stores are not queryable
     *         (starting, restoring, rebalancing): an answer from some partitions only would be partial
     */
    List<PartitionStores> activePartitions();

    /**
     * The stores of the active partitions that can be read right now, leaving out those restoring,
     * migrating or rebuilding their indexes: for a list, whose coordinator checks that every partition
     * is served exactly once and asks a standby for the ones left out.
     *
     * @throws io.incidentstream.errors.UnavailableException when Kafka Streams is not running at all
     */
    default List<PartitionStores> readableActivePartitions() {
        return activePartitions();
    }

    /** The stores of one partition if this instance serves it as active. */
    Optional<PartitionStores> partition(int partition);

    /**
     * The stores of these partitions from this instance's standby (or still restoring) copies, for
     * reading while their active task is away; each copy's changelog lag is within the configured bound.
     *
     * @throws UnavailableException when a partition has no local copy, or one lagging beyond the bound
     */
    default StandbyStores standby(final Set<Integer> partitions) {
        throw new UnavailableException("this instance serves no standby reads", Duration.ofSeconds(2));
    }

    /** The largest changelog lag of this instance's standby copies (0 with none), for the readiness report. */
    default long standbyLag() {
        return 0;
    }

    /** Partitions of the input topic, so that an incident id naming another one is a plain 404. */
    int partitionCount();
}
