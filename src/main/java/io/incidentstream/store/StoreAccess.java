package io.incidentstream.store;

import java.util.List;
import java.util.Optional;

/** Where the query side gets its stores from: the running Kafka Streams instance, or a test fixture. */
public interface StoreAccess {

    /**
     * The stores of every partition this instance serves as active, in partition order.
     *
     * @throws io.incidentstream.errors.UnavailableException when the stores are not queryable
     *         (starting, restoring, rebalancing): an answer from some partitions only would be partial
     */
    List<PartitionStores> activePartitions();

    /** The stores of one partition if this instance serves it as active. */
    Optional<PartitionStores> partition(int partition);

    /** Partitions of the input topic, so that an incident id naming another one is a plain 404. */
    int partitionCount();
}
