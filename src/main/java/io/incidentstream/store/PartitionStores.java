package io.incidentstream.store;

import io.incidentstream.model.CommandResult;
import io.incidentstream.model.Incident;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Source;
import io.incidentstream.model.Status;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Read-only stores of one partition, as the query side sees them. From a standby copy
 * ({@link StandbyStores}) {@code index} is null: only the changelogged stores are kept there.
 */
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
     * The incident with this id on this partition as a list page shows it, without its timeline and
     * member alerts ({@link Incident#withoutTimeline()}), which are stepped over rather than decoded;
     * or null.
     */
    public Incident listed(final String id) {
        return IncidentSerde.listed(() -> incidents.get(id));
    }

    /**
     * Every incident of this partition as {@link #listed} reads it, in id order: a full read, for
     * copies that keep no list index.
     */
    public void forEachListed(final Consumer<Incident> action) {
        IncidentSerde.listed(() -> {
            try (KeyValueIterator<String, Incident> it = incidents.all()) {
                while (it.hasNext()) {
                    final Incident incident = it.next().value;
                    if (incident != null) {
                        action.accept(incident);
                    }
                }
            }
            return null;
        });
    }

    /**
     * RocksDB's estimate of the incidents held: cheap, and it throws {@code InvalidStateStoreException}
     * when the store is not queryable, which is what a readiness probe asks.
     */
    public long approximateIncidentCount() {
        return incidents.approximateNumEntries();
    }

    /**
     * The tenant's incidents on this partition with one of the given sources, statuses and severities
     * (an empty set: any), from the counts kept beside the index: O(1), exact.
     */
    public long count(
            final String tenant,
            final Set<Source> sources,
            final Set<Status> statuses,
            final Set<Severity> severities) {
        return IndexCounts.count(index, tenant, sources, statuses, severities);
    }

    /** The result of a command applied on this partition, or null. */
    public CommandResult commandResult(final String commandId) {
        return CommandResults.get(results, commandId);
    }
}
