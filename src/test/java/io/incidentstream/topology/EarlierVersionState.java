package io.incidentstream.topology;

import io.incidentstream.store.IncidentStores;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.OffsetCheckpoint;

/**
 * Fills the state directory of task 0_0 the way an earlier version of the application left it, before
 * a {@link TopologyFixture} starts over it: the same RocksDB stores, by name, holding what the test
 * writes and nothing else. A {@code TopologyTestDriver} deletes its state directory when it closes,
 * so this is how a topology test starts from state it did not write itself.
 */
final class EarlierVersionState implements AutoCloseable {
    private final String applicationId;
    private final File taskDir;
    private final MockProcessorContext<Object, Object> context;
    private final List<KeyValueStore<?, ?>> opened = new ArrayList<>();

    EarlierVersionState(final Path stateDir, final String applicationId) {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        this.applicationId = applicationId;
        this.taskDir = stateDir.resolve(applicationId).resolve("0_0").toFile();
        context = new MockProcessorContext<>(props, new TaskId(0, 0), taskDir);
    }

    /** A persistent store of the topology, opened where the task will look for it. */
    <K, V> KeyValueStore<K, V> store(final String name, final Serde<K> keys, final Serde<V> values) {
        final KeyValueStore<K, V> store = Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(name), keys, values)
                .withLoggingDisabled()
                .withCachingDisabled()
                .build();
        store.init(context.getStateStoreContext(), store);
        opened.add(store);
        return store;
    }

    /**
     * Closes every store, which writes its data to disk and releases the directory for the driver, and
     * checkpoints the changelogged ones in the task's {@code .checkpoint} file, as a clean close of an
     * earlier Kafka Streams did (4.3 moves those offsets into the stores when it opens them): under
     * exactly-once, Kafka Streams wipes a task directory whose changelogged stores have data but no
     * offsets. No flush first: since 4.3 (KIP-1035) {@code StateStore.flush()} is deprecated and does
     * nothing for these stores, and {@code commit(Map.of())} would wipe the changelog offsets they hold.
     */
    @Override
    public void close() {
        for (KeyValueStore<?, ?> store : opened) {
            store.close();
        }
        final Map<TopicPartition, Long> offsets = new HashMap<>();
        for (String store : List.of(
                IncidentStores.INCIDENTS,
                IncidentStores.BY_ALERT,
                IncidentStores.COUNTERS,
                IncidentStores.COMMAND_RESULTS)) {
            offsets.put(new TopicPartition(applicationId + "-" + store + "-changelog", 0), 0L);
        }
        try {
            new OffsetCheckpoint(new File(taskDir, ".checkpoint")).write(offsets);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
