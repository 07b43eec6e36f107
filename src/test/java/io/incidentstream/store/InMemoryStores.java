package io.incidentstream.store;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/** Initialised in-memory key-value stores for tests that drive the store layer without a topology; closes them all at once. */
public final class InMemoryStores implements AutoCloseable {
    private final List<KeyValueStore<?, ?>> opened = new ArrayList<>();

    public <K, V> KeyValueStore<K, V> create(final String name, final Serde<K> keys, final Serde<V> values) {
        final KeyValueStore<K, V> s = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, values)
                .withLoggingDisabled()
                .build();
        s.init(new MockProcessorContext<>().getStateStoreContext(), s);
        opened.add(s);
        return s;
    }

    @Override
    public void close() {
        opened.forEach(KeyValueStore::close);
    }
}
