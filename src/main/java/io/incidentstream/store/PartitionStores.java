package io.incidentstream.store;

import io.incidentstream.model.CommandResult;
import io.incidentstream.model.Incident;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Read-only stores of one active partition, as the query side sees them. */
public record PartitionStores(
        int partition,
        ReadOnlyKeyValueStore<String, Incident> incidents,
        ReadOnlyKeyValueStore<Bytes, byte[]> index,
        ReadOnlyKeyValueStore<String, byte[]> results) {

    /** The incident with this id on this partition, or null. */
    public Incident incident(final String id) {
        return incidents.get(id);
    }

    /**
     * RocksDB's estimate of the incidents held: cheap, and it throws {@code InvalidStateStoreException}
     * when the store is not queryable, which is what a readiness probe asks.
     */
    public long approximateIncidentCount() {
        return incidents.approximateNumEntries();
    }

    /** The result of a command applied on this partition, or null. */
    public CommandResult commandResult(final String commandId) {
        return CommandResults.get(results, commandId);
    }
}
