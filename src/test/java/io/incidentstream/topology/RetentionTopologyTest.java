package io.incidentstream.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentEvent;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Source;
import io.incidentstream.model.Status;
import io.incidentstream.store.IncidentSerde;
import io.incidentstream.store.IncidentStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
            assertEquals(
                    2 * kept,
                    after.get(IncidentStores.RETENTION),
                    "one retention entry, and where to find it, per closed incident");
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

    @Test
    void shouldPurgeAnIncidentResolvedByAnAlertDatedInTheFutureARetentionAfterItClosedHere() {
        try (TopologyFixture f = fixture(Map.of())) {
            f.firing("a", 0);
            // the monitoring system's clock runs a year ahead of ours
            f.send("acme", "a", "RESOLVED", TopologyFixture.START.plus(Duration.ofDays(365)), null);
            final Incident resolved = f.latest("a");
            assertEquals(Status.RESOLVED, resolved.status());
            f.advance(Duration.ofHours(5));
            assertNotNull(f.incidentStore().get(resolved.id()), "kept within the retention");

            f.advance(Duration.ofHours(2));

            assertNull(f.incidentStore().get(resolved.id()), "purged a retention after it closed, not a year later");
            assertEquals(1.0, f.counter("incidents.purged"));
            assertTrue(TopologyFixture.all(f.retentionStore()).isEmpty());
        }
    }

    @Test
    void shouldNotLetAFutureDatedNoteOnAClosedIncidentPostponeItsPurge() {
        try (TopologyFixture f = fixture(Map.of())) {
            f.firing("a", 0);
            f.resolved("a", 1);
            final Incident resolved = f.latest("a");
            f.advance(Duration.ofHours(3));
            // a later change moves the retention on, but only to when it happened here
            f.send("acme", "a", "FIRING", TopologyFixture.START.plus(Duration.ofDays(365)), null);
            assertEquals(Status.RESOLVED, f.incidentStore().get(resolved.id()).status(), "past the flap window");
            f.advance(Duration.ofHours(4));
            assertNull(f.incidentStore().get(resolved.id()));
        }
    }

    /** An incident as an earlier version stored it. */
    private static Incident stored(final String id, final String alertId, final Status status, final Instant updated) {
        return new Incident.Builder()
                .id(id)
                .tenantId("acme")
                .alertId(alertId)
                .alertVersion(1)
                .alertTemplateId(alertId)
                .status(status)
                .severity(Severity.HIGH)
                .title(alertId + " is over its threshold")
                .source(Source.AUTOMATED)
                .createdAt(updated.minus(Duration.ofMinutes(30)))
                .updatedAt(updated)
                .lastCheckedAt(updated)
                .validUntil(status.isOpen() ? updated.plus(Duration.ofDays(100)) : updated)
                .resolvedAt(status == Status.RESOLVED ? updated : null)
                .alertCount(1)
                .build();
    }

    /**
     * Upgrades from state an earlier version left: closed incidents in the primary store, in no
     * retention index. Either that version kept no derived indexes at all (the first start rebuilds
     * them), or it closed cleanly with indexes of an earlier layout under exactly-once (which a start
     * would otherwise trust as they are). Both must end with every closed incident purged in time.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"without derived indexes", "with indexes of an earlier layout"})
    void shouldPurgeClosedIncidentsAnEarlierVersionLeftWithoutRetentionEntries(final String earlier) {
        final Path stateDir = TopologyFixture.temporaryDirectory();
        final String applicationId = "retention-upgrade-" + UUID.randomUUID();
        final Instant start = TopologyFixture.START;
        final Incident longClosed = stored("incident.0.1", "a", Status.RESOLVED, start.minus(Duration.ofDays(40)));
        final Incident lately = stored("incident.0.2", "b", Status.EXPIRED, start.minus(Duration.ofHours(1)));
        final Incident open = stored("incident.0.3", "c", Status.ACTIVE, start.minus(Duration.ofHours(2)));
        try (EarlierVersionState state = new EarlierVersionState(stateDir, applicationId)) {
            final KeyValueStore<String, Incident> incidents =
                    state.store(IncidentStores.INCIDENTS, Serdes.String(), IncidentSerde.serde());
            final KeyValueStore<String, String> byAlert =
                    state.store(IncidentStores.BY_ALERT, Serdes.String(), Serdes.String());
            for (Incident i : List.of(longClosed, lately, open)) {
                incidents.put(i.id(), i);
                byAlert.put(i.alertKey().asString(), i.id());
            }
            final KeyValueStore<String, Long> counters =
                    state.store(IncidentStores.COUNTERS, Serdes.String(), Serdes.Long());
            counters.put("next", 4L);
            if (earlier.startsWith("with")) {
                counters.put("derived-indexes-generation", 42L);
                state.store(IncidentStores.DERIVED_STATE, Serdes.String(), Serdes.Long())
                        .put("clean", 42L);
                state.store(IncidentStores.RETENTION, Serdes.Bytes(), Serdes.ByteArray());
            }
        }
        final Properties streams = new Properties();
        streams.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        streams.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        try (TopologyFixture f =
                new TopologyFixture(Map.of("INCIDENT_RETENTION", RETENTION.toString()), stateDir, streams)) {
            assertEquals(open, f.incidentStore().get(open.id()), "the earlier state is what the task starts from");

            f.advance(Duration.ofSeconds(1));

            assertNull(f.incidentStore().get(longClosed.id()), "closed 40 days ago: purged at the first sweep");
            assertNotNull(f.incidentStore().get(lately.id()), "closed an hour ago: within the retention");
            f.advance(Duration.ofHours(6));
            assertNull(f.incidentStore().get(lately.id()));
            assertEquals(open, f.incidentStore().get(open.id()), "an open incident is never purged");
            assertEquals(2.0, f.counter("incidents.purged"));
        }
    }
}
