package io.incidentstream.store;

import io.incidentstream.errors.UnavailableException;
import io.incidentstream.model.Incident;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Interactive queries against the running Kafka Streams instance, partition by partition. Pages
 * come from active tasks ({@link #activePartitions}); standby copies answer only when asked for
 * named partitions whose active is away ({@link #standby}), and only within {@code maxStaleness}
 * records of changelog lag. Any state in which Streams cannot serve a store maps to
 * {@link UnavailableException}, i.e. 503 + Retry-After.
 */
public final class StreamsStoreAccess implements StoreAccess {
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private final KafkaStreams streams;
    private final String inputTopic;
    private final int partitionCount;
    private final long maxStaleness;

    public StreamsStoreAccess(final KafkaStreams streams, final String inputTopic, final int partitionCount) {
        this(streams, inputTopic, partitionCount, -1);
    }

    /** @param maxStaleness the largest changelog lag a standby copy may have and be read; -1: never read one */
    public StreamsStoreAccess(
            final KafkaStreams streams, final String inputTopic, final int partitionCount, final long maxStaleness) {
        this.streams = streams;
        this.inputTopic = inputTopic;
        this.partitionCount = partitionCount;
        this.maxStaleness = maxStaleness;
    }

    @Override
    public StandbyStores standby(final Set<Integer> partitions) {
        requireRunning();
        if (maxStaleness < 0) {
            throw new UnavailableException("standby reads are off (MAX_READ_STALENESS=-1)", RETRY_AFTER);
        }
        final Map<Integer, LagInfo> lags = incidentLags();
        final List<PartitionStores> stores = new ArrayList<>();
        long lag = 0;
        for (int p : new TreeSet<>(partitions)) {
            final LagInfo info = lags.get(p);
            if (info == null) {
                throw new UnavailableException("no copy of partition " + p + " here", RETRY_AFTER);
            }
            if (info.offsetLag() > maxStaleness) {
                throw new UnavailableException(
                        "the copy of partition " + p + " lags " + info.offsetLag() + " records, more than "
                                + maxStaleness,
                        RETRY_AFTER);
            }
            lag = Math.max(lag, info.offsetLag());
            stores.add(openStale(p));
        }
        return new StandbyStores(stores, lag);
    }

    @Override
    public long standbyLag() {
        final KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
            return 0;
        }
        final Set<Integer> active = localActivePartitions();
        long lag = 0;
        for (Map.Entry<Integer, LagInfo> e : incidentLags().entrySet()) {
            if (!active.contains(e.getKey())) {
                lag = Math.max(lag, e.getValue().offsetLag());
            }
        }
        return lag;
    }

    /**
     * The changelog lag of every local copy of the incidents store, active or standby. Kafka Streams
     * asks the broker for the changelogs' end offsets: one round trip, paid only on the degraded path.
     */
    private Map<Integer, LagInfo> incidentLags() {
        try {
            return streams.allLocalStorePartitionLags().getOrDefault(IncidentStores.INCIDENTS, Map.of());
        } catch (StreamsException e) {
            throw new UnavailableException("the changelog lags are unknown right now", RETRY_AFTER, e);
        }
    }

    /** The changelogged stores (no list index) of a local copy of the partition, whatever state its task is in. */
    private PartitionStores openStale(final int partition) {
        try {
            final ReadOnlyKeyValueStore<String, Incident> incidents =
                    streams.store(StoreQueryParameters.fromNameAndType(
                                    IncidentStores.INCIDENTS, QueryableStoreTypes.<String, Incident>keyValueStore())
                            .withPartition(partition)
                            .enableStaleStores());
            final ReadOnlyKeyValueStore<String, byte[]> results = streams.store(StoreQueryParameters.fromNameAndType(
                            IncidentStores.COMMAND_RESULTS, QueryableStoreTypes.<String, byte[]>keyValueStore())
                    .withPartition(partition)
                    .enableStaleStores());
            // no index: a standby does not maintain it (StandbyStores)
            return new PartitionStores(partition, incidents, null, results);
        } catch (InvalidStateStoreException e) {
            throw new UnavailableException(
                    "the copy of partition " + partition + " is not readable now", RETRY_AFTER, e);
        }
    }

    @Override
    public List<PartitionStores> activePartitions() {
        requireRunning();
        final List<PartitionStores> stores = new ArrayList<>();
        for (int p : localActivePartitions()) {
            stores.add(open(p));
        }
        return stores;
    }

    @Override
    public List<PartitionStores> readableActivePartitions() {
        requireRunning();
        final List<PartitionStores> stores = new ArrayList<>();
        for (int p : localActivePartitions()) {
            try {
                stores.add(open(p));
            } catch (UnavailableException e) {
                // left out of this page: the coordinator reads it from a standby, or answers 503
            }
        }
        return stores;
    }

    @Override
    public Optional<PartitionStores> partition(final int partition) {
        requireRunning();
        return localActivePartitions().contains(partition) ? Optional.of(open(partition)) : Optional.empty();
    }

    @Override
    public int partitionCount() {
        return partitionCount;
    }

    /**
     * The grouping rules as this instance's global store holds them (one per request: its compiled-rule
     * cache is not shared between threads).
     */
    public GroupingRuleStore groupingRules() {
        requireRunning();
        try {
            return new GroupingRuleStore(streams.store(StoreQueryParameters.fromNameAndType(
                    GroupingRuleStore.NAME, QueryableStoreTypes.<String, byte[]>keyValueStore())));
        } catch (InvalidStateStoreException e) {
            throw new UnavailableException("the grouping rules are not readable yet", RETRY_AFTER, e);
        }
    }

    private void requireRunning() {
        // REBALANCING still serves the tasks it keeps (cooperative rebalancing); the coordinator's
        // coverage check refuses a list that lacks a partition, so no partial page escapes.
        final KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
            throw new UnavailableException(
                    "incident stores are not queryable yet (streams " + state + ")", RETRY_AFTER);
        }
    }

    private SortedSet<Integer> localActivePartitions() {
        final TreeSet<Integer> partitions = new TreeSet<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            thread.activeTasks().forEach(task -> {
                for (TopicPartition tp : task.topicPartitions()) {
                    if (tp.topic().equals(inputTopic)) {
                        partitions.add(tp.partition());
                    }
                }
            });
        }
        return partitions;
    }

    private PartitionStores open(final int partition) {
        try {
            final ReadOnlyKeyValueStore<String, Incident> incidents =
                    streams.store(StoreQueryParameters.fromNameAndType(
                                    IncidentStores.INCIDENTS, QueryableStoreTypes.<String, Incident>keyValueStore())
                            .withPartition(partition));
            final ReadOnlyKeyValueStore<Bytes, byte[]> index = streams.store(StoreQueryParameters.fromNameAndType(
                            IncidentStores.INDEX, QueryableStoreTypes.<Bytes, byte[]>keyValueStore())
                    .withPartition(partition));
            final ReadOnlyKeyValueStore<String, byte[]> results = streams.store(StoreQueryParameters.fromNameAndType(
                            IncidentStores.COMMAND_RESULTS, QueryableStoreTypes.<String, byte[]>keyValueStore())
                    .withPartition(partition));
            final ReadOnlyKeyValueStore<String, Long> derived = streams.store(StoreQueryParameters.fromNameAndType(
                            IncidentStores.DERIVED_STATE, QueryableStoreTypes.<String, Long>keyValueStore())
                    .withPartition(partition));
            if (!DerivedIndexes.ready(derived)) {
                throw new UnavailableException("partition " + partition + " is rebuilding its indexes", RETRY_AFTER);
            }
            return new PartitionStores(partition, incidents, index, results);
        } catch (InvalidStateStoreException e) {
            throw new UnavailableException("partition " + partition + " is migrating or restoring", RETRY_AFTER, e);
        }
    }
}
