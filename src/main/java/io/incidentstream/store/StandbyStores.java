package io.incidentstream.store;

import java.util.List;

/**
 * Stores of partitions read from standby copies, and how stale they may be: the largest changelog
 * lag among them, in records (what the active had written to the changelog and the copy had not yet
 * applied when it was opened).
 *
 * <p>A standby keeps only the changelogged stores: the incidents and command results. The list
 * indexes are derived by the active task and are not maintained on a standby, so a list from these
 * stores reads the incidents themselves ({@link #partitions} expose {@code incidents()}).
 */
public record StandbyStores(List<PartitionStores> partitions, long lag) {

    public StandbyStores {
        partitions = List.copyOf(partitions);
    }
}
