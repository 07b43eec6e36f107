package io.incidentstream.http;

import io.incidentstream.errors.UnavailableException;
import io.incidentstream.query.AlertHistory;
import io.incidentstream.query.GroupingPreviews;
import io.incidentstream.query.GroupingRules;
import io.incidentstream.store.GroupingRuleStore;
import io.incidentstream.store.InMemoryStores;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;

/** Grouping rules over an in-memory store that the sink writes straight into, as the global store would. */
final class RuleFakes implements AutoCloseable {
    private final InMemoryStores stores = new InMemoryStores();
    private final KeyValueStore<String, byte[]> store =
            stores.create(GroupingRuleStore.NAME, Serdes.String(), Serdes.ByteArray());
    /** When set, every call fails with it (a store not queryable, a broker not acknowledging). */
    volatile UnavailableException failure;

    final GroupingRules rules = new GroupingRules(
            () -> {
                if (failure != null) {
                    throw failure;
                }
                return new GroupingRuleStore(store);
            },
            (key, value) -> {
                if (value == null) {
                    store.delete(key);
                } else {
                    store.put(key, value);
                }
            },
            Duration.ofSeconds(2));

    /** Previews over an empty history (a failing one while {@link #failure} is set). */
    final GroupingPreviews previews = new GroupingPreviews(
            (tenant, from, to, max) -> {
                if (failure != null) {
                    throw failure;
                }
                return new AlertHistory.Read(List.of(), 0, null);
            },
            Duration.ofMinutes(5),
            Clock.systemUTC());

    @Override
    public void close() {
        stores.close();
    }
}
