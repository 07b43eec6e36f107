package io.incidentstream.store;

import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The state stores of the incident processor, named once. All are persistent (RocksDB). The
 * incidents, the alert mapping, the counters and the command results are changelogged, so a lost
 * state directory is rebuilt from Kafka and exactly-once covers them together with the output
 * topics; the indexes derived from the incidents are rebuilt from them ({@link #derived}).
 *
 * <p>Only the counters and command results go through Kafka Streams' record cache: they are
 * rewritten many times between commits (every transition moves two open counts), and the cache
 * turns that into one changelog record per key and commit. The other stores are written once per
 * event for a given key, since monitoring re-checks an alert every few seconds at the most, far less
 * often than the 100 ms commit interval, so a cache in front of them never coalesced anything and
 * cost its sorted map (byte-array comparisons on every get, put and flush: 15% of the stream
 * thread at 200k incidents, in the benchmark).
 */
public final class IncidentStores {
    /** Incident id → incident (the primary store). */
    public static final String INCIDENTS = "incidents-store";
    /**
     * {@code tenantId/alertId} → id of that alert's latest incident, open or closed (for folding and
     * flap reopen); and, under keys starting with {@code |} (no tenant id does), the state of the
     * groups of grouping rules ({@link GroupStore}).
     */
    public static final String BY_ALERT = "incident-by-alert-store";
    /** {@link IndexKeys} → empty: list pages by range scan. */
    public static final String INDEX = "incident-index-store";
    /** {@link ExpiryKeys} → empty: open incidents ordered by validUntil. */
    public static final String EXPIRY = "incident-expiry-store";
    /** {@link RetentionKeys} → empty: closed incidents ordered by when they closed, for the retention purge. */
    public static final String RETENTION = "incident-retention-store";
    /** Per-partition counters: the next incident sequence number, and open incidents by severity and status. */
    public static final String COUNTERS = "incident-counters-store";
    /** {@link CommandResults} keys → command results, kept for a while so the API can report them and repeats are no-ops. */
    public static final String COMMAND_RESULTS = "incident-command-results-store";

    /**
     * Local bookkeeping of the derived indexes (not changelogged, like them): whether this partition's
     * indexes are complete ({@link DerivedIndexes#READY}), and the generation they were left
     * consistent at by a clean close ({@link DerivedIndexes#CLEAN}).
     */
    public static final String DERIVED_STATE = "incident-derived-state-store";

    public static final List<String> ALL =
            List.of(INCIDENTS, BY_ALERT, INDEX, EXPIRY, RETENTION, COUNTERS, COMMAND_RESULTS, DERIVED_STATE);

    private IncidentStores() {}

    public static List<StoreBuilder<?>> builders() {
        return List.of(
                uncached(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(INCIDENTS), Serdes.String(), IncidentSerde.serde())),
                uncached(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(BY_ALERT), Serdes.String(), Serdes.String())),
                derived(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(INDEX), Serdes.Bytes(), Serdes.ByteArray())),
                derived(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(EXPIRY), Serdes.Bytes(), Serdes.ByteArray())),
                derived(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(RETENTION), Serdes.Bytes(), Serdes.ByteArray())),
                cached(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(COUNTERS), Serdes.String(), Serdes.Long())),
                cached(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(COMMAND_RESULTS), Serdes.String(), Serdes.ByteArray())),
                derived(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(DERIVED_STATE), Serdes.String(), Serdes.Long())));
    }

    /** Changelogged, written at most once per event and key: nothing for a record cache to coalesce (see the class comment). */
    private static <K, V> StoreBuilder<KeyValueStore<K, V>> uncached(final StoreBuilder<KeyValueStore<K, V>> builder) {
        return builder.withCachingDisabled().withLoggingEnabled(java.util.Map.of());
    }

    /**
     * The list, expiry and retention indexes are functions of the incidents and are not changelogged:
     * they were 40% of every record the topology wrote (a transition moves three list-index entries,
     * six changelog records). Each task rebuilds them from {@code incidents-store} when it cannot
     * prove them consistent ({@link DerivedIndexes}); reads of a store that is being rebuilt get a 503.
     *
     * <p>Uncached too, and for the list index that is a matter of correctness: it is read by range
     * scans from HTTP threads while the stream thread writes it, and through the record cache such a
     * scan merges a snapshot of the cache's keys with a RocksDB iterator; a cache flush between the
     * two can drop a delete from the cache after the RocksDB snapshot was taken, and a list then
     * shows an incident under its old status too (seen in IncidentApiIT). Uncached, a scan is one
     * RocksDB iterator snapshot, and since {@link IncidentStore#save} deletes old entries before
     * writing new ones, it never sees an incident twice.
     */
    private static <K, V> StoreBuilder<KeyValueStore<K, V>> derived(final StoreBuilder<KeyValueStore<K, V>> builder) {
        return builder.withCachingDisabled().withLoggingDisabled();
    }

    private static <K, V> StoreBuilder<KeyValueStore<K, V>> cached(final StoreBuilder<KeyValueStore<K, V>> builder) {
        return builder.withCachingEnabled().withLoggingEnabled(java.util.Map.of());
    }

    /**
     * Removes {@code key} from {@code store} without reading it first. {@code KeyValueStore.delete}
     * returns the old value, so Kafka Streams' RocksDB store (and its record cache) reads the key
     * before it writes the tombstone: a point lookup per removed index entry, which, in a store of a
     * million incidents whose entries are mostly out of the block cache, made an expiry sweep cost
     * 1.6 ms per expired incident. {@code put(key, null)} writes the same tombstone (and the same
     * changelog tombstone) without the read.
     */
    public static <K, V> void remove(final KeyValueStore<K, V> store, final K key) {
        store.put(key, null);
    }
}
