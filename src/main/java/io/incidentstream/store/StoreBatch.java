package io.incidentstream.store;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;

/** Writes through {@code putAll} (one RocksDB write batch) in chunks: a rebuild writes several entries per incident. */
final class StoreBatch {
    private static final int SIZE = 10_000;
    private final KeyValueStore<Bytes, byte[]> store;
    private final List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>(SIZE);

    StoreBatch(final KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    /** Adds a put, or a delete when {@code value} is null; a null key is skipped. */
    void put(final Bytes key, final byte[] value) {
        if (key == null) {
            return;
        }
        entries.add(KeyValue.pair(key, value));
        if (entries.size() == SIZE) {
            flush();
        }
    }

    void flush() {
        if (!entries.isEmpty()) {
            store.putAll(entries);
            entries.clear();
        }
    }
}
