package io.incidentstream.store;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class BoundedRocksDbMemoryTest {
    static {
        RocksDB.loadLibrary();
    }

    private static Options configured(final String store) {
        final Options options = new Options();
        options.setTableFormatConfig(new BlockBasedTableConfig());
        new BoundedRocksDbMemory()
                .setConfig(store, options, Map.of(BoundedRocksDbMemory.MEMORY_BYTES_CONFIG, Long.toString(64L << 20)));
        return options;
    }

    @Test
    void shouldChargeEveryStoreToOneSharedBudget() {
        try (Options a = configured("incidents-store");
                Options b = configured("incident-index-store")) {
            assertNotNull(a.writeBufferManager());
            assertSame(
                    a.writeBufferManager(),
                    b.writeBufferManager(),
                    "one write buffer manager (and cache) for all stores");
        }
    }

    @Test
    void shouldRefuseToRunUnboundedWhenTheBudgetIsMissing() {
        try (Options options = new Options()) {
            options.setTableFormatConfig(new BlockBasedTableConfig());
            assertThrows(
                    IllegalStateException.class, () -> new BoundedRocksDbMemory().setConfig("s", options, Map.of()));
        }
    }
}
