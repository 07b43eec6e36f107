package io.incidentstream.topology;

import static io.incidentstream.topology.TopologyFixture.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.config.Config;
import io.incidentstream.model.Incident;
import io.incidentstream.model.Status;
import io.incidentstream.store.DerivedIndexes;
import io.incidentstream.store.InMemoryStores;
import io.incidentstream.store.IncidentSerde;
import io.incidentstream.store.IncidentStore;
import io.incidentstream.store.IncidentStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * A task that cannot trust its derived indexes rebuilds them in slices, one per punctuation, folding
 * events in between: its partition reads as not ready (503) and its sweeps wait until the last slice,
 * and the result is exactly what a rebuild in one go over the same incidents gives, whether the events
 * that arrived meanwhile touched incidents the rebuild had passed, incidents it had not reached yet,
 * or opened new ones on either side of its cursor.
 */
class IndexRebuildTopologyTest {
    private static final int EXISTING = 40;
    private static final Instant DUE = START.minusSeconds(10);

    @Test
    void shouldRebuildOverSeveralPunctuationsToTheIndexesOfARebuildInOneGo() {
        final Path stateDir = TopologyFixture.temporaryDirectory();
        final String applicationId = "rebuild-" + UUID.randomUUID();
        fillStateOfAnEarlierRun(stateDir, applicationId);
        final Properties streams = new Properties();
        streams.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        streams.put(IncidentProcessor.REBUILD_SLICE_CONFIG, "4");
        try (TopologyFixture f = new TopologyFixture(Map.of(), stateDir, streams)) {
            final KeyValueStore<String, Long> derived = f.driver.getKeyValueStore(IncidentStores.DERIVED_STATE);
            assertFalse(DerivedIndexes.ready(derived), "after the first slice the partition still answers 503");

            f.advance(Duration.ofMillis(1));
            f.advance(Duration.ofMillis(1));
            // Ids sort as strings: incident.0.1, .10 … .14, .2 … .9, .a … .z. The walk is a few slices in:
            // past incident.0.4, short of incident.0.y (a33) and incident.0.z (a34).
            f.send("globex", "a0", "RESOLVED", START.minusSeconds(5), null); // passed: entries and counts move now
            f.send("acme", "a1", "FIRING", START.minusSeconds(5), null); // passed, its listing unchanged
            f.send("globex", "a33", "RESOLVED", START.minusSeconds(5), null); // not reached: left to the walk
            f.send("acme", "a34", "FIRING", START.minusSeconds(4), null); // not reached, reopened
            f.send("acme", "new-1", "FIRING", START.minusSeconds(3), null); // incident.0.15: before the cursor
            f.send("acme", "new-2", "FIRING", START.minusSeconds(3), null); // incident.0.16: likewise
            f.advance(Duration.ofSeconds(1)); // the expiry sweep's turn: it must wait for the rebuild
            assertFalse(DerivedIndexes.ready(derived), "still rebuilding");
            assertEquals(Status.ACTIVE, f.latest("due").status(), "no expiry while the expiry index is incomplete");

            int punctuations = 3;
            while (!DerivedIndexes.ready(derived) && punctuations < 100) {
                if (punctuations == 5) {
                    f.send("acme", "new-3", "FIRING", START.minusSeconds(2), null); // incident.0.17
                }
                f.advance(Duration.ofMillis(1));
                punctuations++;
            }
            assertTrue(DerivedIndexes.ready(derived), "the rebuild completes");
            assertTrue(punctuations > 6, "spread over punctuations, not done in one: " + punctuations);

            assertSameAsARebuildInOneGo(f);
            assertEquals(
                    EXISTING,
                    f.counter("incidents.index.rebuilt"),
                    "the walk indexed the incidents it found; the new ones, behind it, their saves");
            assertEquals(1L, f.registry.get("incidents.index.rebuild").timer().count());

            f.advance(Duration.ofSeconds(1));
            assertEquals(Status.EXPIRED, f.latest("due").status(), "the sweep runs once the rebuild is done");
        }
    }

    /**
     * What an earlier run left: incidents (one due for expiry, some resolved), the alert mapping and
     * the counters, but no derived indexes it could vouch for.
     */
    private static void fillStateOfAnEarlierRun(final Path stateDir, final String applicationId) {
        final List<KeyValue<String, Incident>> incidents;
        final List<KeyValue<String, String>> byAlert;
        final List<KeyValue<String, Long>> counters;
        try (TopologyFixture earlier = new TopologyFixture()) {
            for (int i = 0; i < EXISTING - 2; i++) {
                final String tenant = i % 3 == 0 ? "globex" : "acme";
                final Map<String, String> labels = i % 2 == 0 ? Map.of("service", "svc-" + i % 4) : Map.of();
                earlier.sendJson(
                        tenant + "/a" + i,
                        TopologyFixture.alert(tenant, "a" + i, "FIRING", START.minusSeconds(100 - i), null, labels));
                if (i % 5 == 4) {
                    earlier.sendJson(
                            tenant + "/a" + i,
                            TopologyFixture.alert(tenant, "a" + i, "RESOLVED", START.minusSeconds(50 - i), null));
                }
            }
            earlier.send("acme", "due", "FIRING", START.minusSeconds(60), DUE);
            earlier.send("acme", "a39", "FIRING", START.minusSeconds(40), null);
            incidents = TopologyFixture.all(earlier.incidentStore());
            byAlert = TopologyFixture.all(earlier.byAlertStore());
            counters = TopologyFixture.all(earlier.driver.getKeyValueStore(IncidentStores.COUNTERS));
        }
        assertEquals(EXISTING, incidents.size(), "one incident per alert");
        try (EarlierVersionState state = new EarlierVersionState(stateDir, applicationId)) {
            state.store(IncidentStores.INCIDENTS, Serdes.String(), IncidentSerde.serde())
                    .putAll(incidents);
            state.store(IncidentStores.BY_ALERT, Serdes.String(), Serdes.String())
                    .putAll(byAlert);
            state.store(IncidentStores.COUNTERS, Serdes.String(), Serdes.Long()).putAll(counters);
        }
    }

    /**
     * The list index and its counts and the retention index hold exactly what a rebuild in one go over
     * the final incidents writes; the expiry index too, apart from entries of incidents closed during
     * the rebuild, which it keeps lazily as every save does (the sweep drops them when they fall due).
     */
    private static void assertSameAsARebuildInOneGo(final TopologyFixture f) {
        try (InMemoryStores stores = new InMemoryStores()) {
            final KeyValueStore<String, Incident> incidents =
                    stores.create("incidents", Serdes.String(), IncidentSerde.serde());
            final KeyValueStore<Bytes, byte[]> index = stores.create("index", Serdes.Bytes(), Serdes.ByteArray());
            final KeyValueStore<Bytes, byte[]> expiry = stores.create("expiry", Serdes.Bytes(), Serdes.ByteArray());
            final KeyValueStore<Bytes, byte[]> retention =
                    stores.create("retention", Serdes.Bytes(), Serdes.ByteArray());
            final List<KeyValue<String, Incident>> all = TopologyFixture.all(f.incidentStore());
            incidents.putAll(all);
            assertEquals(EXISTING + 3, all.size());
            new IncidentStore(
                            incidents,
                            stores.create("by-alert", Serdes.String(), Serdes.String()),
                            index,
                            expiry,
                            retention,
                            stores.create("counters", Serdes.String(), Serdes.Long()),
                            stores.create("results", Serdes.String(), Serdes.ByteArray()),
                            () -> START.toEpochMilli() + 10_000,
                            TopologySettings.of(Config.from(Map.of())).indexedLabels())
                    .rebuildIndexes();

            assertEquals(contents(index), contents(f.indexStore()), "list index and counts");
            assertEquals(contents(retention), contents(f.retentionStore()), "retention index");
            // Kept lazily, as every save keeps it: an incident re-fired behind the cursor keeps its earlier
            // entry (the sweep moves it when it falls due), so each open incident has an entry, maybe earlier.
            final List<String> entries = new ArrayList<>();
            contents(f.expiryStore())
                    .keySet()
                    .forEach(key -> entries.add(new String(key.get(), StandardCharsets.UTF_8)));
            for (Bytes key : contents(expiry).keySet()) {
                final String id = all.stream()
                        .map(kv -> kv.key)
                        .filter(k -> new String(key.get(), StandardCharsets.UTF_8).endsWith(k))
                        .findFirst()
                        .orElseThrow();
                assertTrue(entries.stream().anyMatch(e -> e.endsWith(id)), "an expiry entry for " + id);
            }
        }
    }

    private static Map<Bytes, String> contents(final KeyValueStore<Bytes, byte[]> store) {
        final Map<Bytes, String> out = new TreeMap<>();
        TopologyFixture.all(store).forEach(kv -> out.put(kv.key, Arrays.toString(kv.value)));
        return out;
    }
}
