package io.incidentstream.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentEvent;
import io.incidentstream.model.Status;
import io.incidentstream.store.IncidentStores;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** INCIDENT_RETENTION: closed incidents leave every store after the retention, so state stays bounded. */
class RetentionTopologyTest {
    private static final Duration RETENTION = Duration.ofHours(6);

    private static TopologyFixture fixture(final Map<String, String> extra) {
        final Map<String, String> env = new LinkedHashMap<>(Map.of("INCIDENT_RETENTION", RETENTION.toString()));
        env.putAll(extra);
        return new TopologyFixture(env);
    }

    /** Entries per store, in the order of {@link IncidentStores#ALL}. */
    private static Map<String, Integer> sizes(final TopologyFixture f) {
        final Map<String, Integer> sizes = new LinkedHashMap<>();
        for (String name : IncidentStores.ALL) {
            final KeyValueStore<Object, Object> store = f.driver.getKeyValueStore(name);
            sizes.put(name, TopologyFixture.all(store).size());
        }
        return sizes;
    }

    /** One hour of churn: ten new alerts fire; seven resolve, three are left to expire. */
    private static void churnHour(final TopologyFixture f, final int hour, final Instant now) {
        for (int i = 0; i < 10; i++) {
            f.send("acme", "h" + hour + "-" + i, "FIRING", now, null);
        }
        for (int i = 0; i < 7; i++) {
            f.send("acme", "h" + hour + "-" + i, "RESOLVED", now.plusSeconds(1), null);
        }
        f.advance(Duration.ofHours(1)); // expiry of the three (TTL 5 min) and the purge sweep
    }

    @Test
    void shouldStopGrowingUnderSteadyOpenResolveChurn() {
        try (TopologyFixture f = fixture(Map.of())) {
            Instant now = TopologyFixture.START;
            Map<String, Integer> steady = null;
            for (int hour = 0; hour < 48; hour++) {
                churnHour(f, hour, now);
                now = now.plus(Duration.ofHours(1));
                if (hour == 23) {
                    steady = sizes(f);
                }
            }
            final Map<String, Integer> after = sizes(f);
            assertEquals(steady, after, "stores after 24 and 48 hours of churn");
            // 480 incidents were opened; only those closed within the retention remain (6-7 hours' worth).
            final int kept = after.get(IncidentStores.INCIDENTS);
            assertTrue(kept >= 60 && kept <= 70, "incidents kept: " + kept);
            assertEquals(kept, after.get(IncidentStores.RETENTION), "one retention entry per closed incident");
            assertEquals(kept, after.get(IncidentStores.BY_ALERT));
            assertEquals(0, after.get(IncidentStores.EXPIRY), "nothing open");
            assertEquals(48 * 10 - kept, (int) f.counter("incidents.purged"));
        }
    }

    @Test
    void shouldPurgeWithATombstoneAndAPurgedEvent() {
        try (TopologyFixture f = fixture(Map.of())) {
            f.firing("a", 0);
            f.resolved("a", 1);
            final Incident resolved = f.latest("a");
            f.advance(Duration.ofHours(5));
            assertNotNull(f.incidentStore().get(resolved.id()), "kept within the retention");
            f.incidents.readRecordsToList();
            f.events.readRecordsToList();

            f.advance(Duration.ofHours(2));

            assertNull(f.incidentStore().get(resolved.id()));
            assertNull(f.latest("a"));
            assertTrue(TopologyFixture.all(f.indexStore()).isEmpty(), "list index entries removed");
            final List<TestRecord<String, Incident>> tombstones = f.incidents.readRecordsToList();
            assertEquals(1, tombstones.size());
            assertEquals(resolved.id(), tombstones.get(0).key());
            assertNull(tombstones.get(0).value());
            final List<KeyValue<String, IncidentEvent>> events = f.events.readKeyValuesToList();
            assertEquals(1, events.size());
            assertEquals("purged", events.get(0).value.type());
            assertEquals(Status.RESOLVED, events.get(0).value.from());

            f.firing("a", 8 * 3600);
            assertEquals(1, f.latest("a").alertCount(), "a later firing opens a new incident");
        }
    }

    @Test
    void shouldNotPurgeAnIncidentReopenedWithinTheRetention() {
        try (TopologyFixture f = fixture(Map.of("FLAP_WINDOW", "PT1H"))) {
            f.firing("a", 0);
            f.resolved("a", 1);
            f.firing("a", 1800); // reopens the same incident (flap window)
            final Incident reopened = f.latest("a");
            assertEquals(Status.ACTIVE, reopened.status());
            f.send("acme", "a", "FIRING", TopologyFixture.at(1801), TopologyFixture.at(100 * 3600)); // stays valid
            f.advance(Duration.ofHours(8));
            assertEquals(Status.ACTIVE, f.incidentStore().get(reopened.id()).status());
            assertEquals(0.0, f.counter("incidents.purged"));
        }
    }

    @Test
    void shouldPurgeAtMostTheCapPerTick() {
        try (TopologyFixture f = fixture(Map.of("EXPIRY_MAX_PER_TICK", "3"))) {
            for (int i = 0; i < 7; i++) {
                f.firing("a" + i, 0);
                f.resolved("a" + i, 1);
            }
            f.advance(Duration.ofHours(7));
            assertEquals(4, TopologyFixture.all(f.incidentStore()).size());
            f.advance(Duration.ofSeconds(1));
            assertEquals(1, TopologyFixture.all(f.incidentStore()).size());
            f.advance(Duration.ofSeconds(1));
            assertEquals(0, TopologyFixture.all(f.incidentStore()).size());
        }
    }
}
