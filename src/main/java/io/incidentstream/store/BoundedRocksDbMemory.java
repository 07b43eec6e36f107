package io.incidentstream.store;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the off-heap memory of every RocksDB store in the process by one budget
 * ({@code ROCKSDB_MEMORY}): one LRU block cache shared by all stores, which also holds their index
 * and filter blocks, and a write buffer manager that charges the memtables to that same cache (at
 * most half of it). Without this each of the eight stores on each partition gets its own block
 * cache and memtables, and resident memory grows with the partition count rather than with the
 * budget. The recipe is Kafka Streams' own ("Memory management" in its RocksDB docs).
 *
 * <p>The cache and the write buffer manager live as long as the process, shared by every store and
 * every Kafka Streams client in it; the first configured budget wins.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {
    /** Streams config key carrying the budget in bytes (set from {@code ROCKSDB_MEMORY}). */
    public static final String MEMORY_BYTES_CONFIG = "incident.stream.rocksdb.memory.bytes";
    /** Share of the cache kept for index and filter blocks, so data blocks cannot push them out. */
    private static final double INDEX_FILTER_SHARE = 0.1;

    private static final Logger LOG = LoggerFactory.getLogger(BoundedRocksDbMemory.class);

    private static Shared shared;

    private record Shared(long bytes, Cache cache, WriteBufferManager writeBuffers) {}

    private static synchronized Shared shared(final long bytes) {
        if (shared == null) {
            final Cache cache = new LRUCache(bytes, -1, false, INDEX_FILTER_SHARE);
            shared = new Shared(bytes, cache, new WriteBufferManager(bytes / 2, cache));
            LOG.info(
                    "RocksDB memory bounded to {} MiB for all stores (block cache, index and filter blocks, memtables)",
                    bytes >> 20);
        } else if (shared.bytes() != bytes) {
            LOG.warn(
                    "RocksDB memory budget {} bytes asked for, but this process already shares {} bytes; keeping that",
                    bytes,
                    shared.bytes());
        }
        return shared;
    }

    @Override
    public void setConfig(final String storeName, final Options options, final Map<String, Object> configs) {
        final Object configured = configs.get(MEMORY_BYTES_CONFIG);
        if (configured == null) {
            throw new IllegalStateException(MEMORY_BYTES_CONFIG + " is not set");
        }
        final Shared memory = shared(Long.parseLong(configured.toString()));
        final BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(memory.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(memory.writeBuffers());
    }

    @Override
    public void close(final String storeName, final Options options) {
        // The cache and the write buffer manager are shared by every store: never closed per store.
    }
}
