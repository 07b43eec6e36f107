package io.incidentstream.topology;

import static io.incidentstream.topology.TopologyFixture.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.ingest.AlertDecoder;
import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentId;
import io.incidentstream.model.Lifecycle;
import io.incidentstream.model.Status;
import io.incidentstream.store.IndexCounts;
import io.incidentstream.store.IndexKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property test: random event sequences (seeded) against the topology and, alongside, a reference
 * fold with {@link Lifecycle} alone. After every batch the stores must agree with the reference and
 * the indexes with the primary store: every incident has its list-index entries (with one per order
 * for each indexed label it has, under its current value, as labels change from alert to alert) and
 * there are no others, every open incident has an expiry entry no later than its validUntil (entries are kept
 * lazily, and the sweep clears the stale ones), the retention index exactly the closed ones (at
 * their last change, or at the processing clock when that change is dated after it), the counts
 * beside the list index what the incidents add up to, and the alert mapping points at the latest
 * incident of each alert.
 */
class IndexConsistencyTest {
    private static final int ALERTS = 30;
    private static final int STEPS = 400;

    private final TopologyFixture f = new TopologyFixture();
    private final AlertDecoder decoder = new AlertDecoder(TopologyFixture.TTL);
    private final Lifecycle reference = new Lifecycle(TopologyFixture.FLAP);
    private final Map<String, Incident> refById = new HashMap<>();
    private final Map<String, String> refByAlert = new HashMap<>();
    /** When each closed incident closed, for the purge: its last listed change, clamped to the wall clock then. */
    private final Map<String, Long> refClosedAt = new HashMap<>();

    private final Map<String, Instant> lastSent = new HashMap<>();
    private long sequence = 1;
    private Instant now = TopologyFixture.START;

    @AfterEach
    void close() {
        f.close();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 7, 42, 1234, 20_260_101})
    void shouldKeepIndexesConsistentUnderRandomEventSequences(final long seed) {
        final Random random = new Random(seed);
        for (int step = 1; step <= STEPS; step++) {
            if (random.nextInt(10) == 0) {
                advance(Duration.ofSeconds(1 + random.nextInt(400)));
            } else {
                sendRandomEvent(random);
            }
            if (step % 50 == 0) {
                assertConsistent("seed " + seed + " step " + step);
            }
        }
        advance(Duration.ofHours(1));
        assertConsistent("seed " + seed + " after final expiry");
        assertEquals(
                0,
                TopologyFixture.all(f.expiryStore()).size(),
                "seed " + seed + ": the sweep leaves no stale expiry entry behind");
        assertTrue(refById.size() > ALERTS / 2, "the sequence should open incidents: " + refById.size());
    }

    private void sendRandomEvent(final Random random) {
        final int n = random.nextInt(ALERTS);
        final String tenant = n % 3 == 0 ? "globex" : "acme";
        final String alertKey = tenant + "/a" + n;
        final Instant last = lastSent.get(alertKey);
        final int kind = random.nextInt(100);
        Instant checkedAt = now.minusSeconds(random.nextInt(20));
        if (last != null && !checkedAt.isAfter(last)) {
            checkedAt = last.plusSeconds(1 + random.nextInt(5));
        }
        String status = kind < 65 ? "FIRING" : "RESOLVED";
        Instant validUntil = kind < 15 ? checkedAt.plusSeconds(1 + random.nextInt(120)) : null;
        if (last != null && kind >= 80 && kind < 92) {
            checkedAt = last.minusSeconds(1 + random.nextInt(60)); // out of order
            status = random.nextBoolean() ? "FIRING" : "RESOLVED";
        } else if (last != null && kind >= 92) {
            checkedAt = last; // duplicate delivery
            status = "FIRING";
            validUntil = null;
        }
        final String json = TopologyFixture.alert(tenant, "a" + n, status, checkedAt, validUntil, labels(random));
        final int keyKind = random.nextInt(20);
        final byte[] key = keyKind == 0 ? null : keyKind == 1 ? utf8("wrong-" + n) : utf8(alertKey);
        f.alerts.pipeInput(key, utf8(json));
        if (last == null || checkedAt.isAfter(last)) {
            lastSent.put(alertKey, checkedAt);
        }
        applyToReference(decoder.decode(utf8(json)));
    }

    /**
     * Labels that change from event to event: an indexed label (service, team) present or not, with
     * one of a few values, and one that is not indexed; none at all now and then (a fold keeps them).
     */
    private static Map<String, String> labels(final Random random) {
        final Map<String, String> labels = new TreeMap<>();
        if (random.nextInt(4) == 0) {
            return labels;
        }
        if (random.nextInt(3) > 0) {
            labels.put("service", "svc-" + random.nextInt(3));
        }
        if (random.nextBoolean()) {
            labels.put("team", "team-" + random.nextInt(2));
        }
        labels.put("region", "eu-" + random.nextInt(2));
        return labels;
    }

    private void applyToReference(final AlertEvent event) {
        final String alertKey = event.key().asString();
        final String latestId = refByAlert.get(alertKey);
        final Lifecycle.Result r = reference.apply(
                latestId == null ? null : refById.get(latestId), event, () -> IncidentId.of(0, sequence++));
        if (r.outcome().changed()) {
            changeReference(r.incident());
            if (r.outcome() == Lifecycle.Outcome.OPENED) {
                refByAlert.put(alertKey, r.incident().id());
            }
        }
    }

    private void changeReference(final Incident after) {
        final Incident before = refById.put(after.id(), after);
        final boolean listingChanged = before == null
                || before.status() != after.status()
                || before.severity() != after.severity()
                || !before.updatedAt().equals(after.updatedAt())
                || !before.createdAt().equals(after.createdAt());
        if (after.status().isOpen()) {
            refClosedAt.remove(after.id());
        } else if (listingChanged) {
            refClosedAt.put(after.id(), Math.min(after.updatedAt().toEpochMilli(), now.toEpochMilli()));
        }
    }

    private void advance(final Duration d) {
        f.advance(d);
        now = now.plus(d);
        for (Incident i : Set.copyOf(refById.values())) {
            final Lifecycle.Result r = reference.expire(i, now);
            if (r.outcome().changed()) {
                changeReference(r.incident());
            }
        }
    }

    private void assertConsistent(final String where) {
        final Map<String, Incident> stored = new TreeMap<>();
        TopologyFixture.all(f.incidentStore()).forEach(kv -> stored.put(kv.key, kv.value));
        assertEquals(new TreeMap<>(refById), stored, where + ": incidents differ from the reference fold");

        final Set<Bytes> index = new HashSet<>();
        f.indexEntries().forEach(kv -> index.add(kv.key));
        long expectedEntries = 0;
        for (Incident i : stored.values()) {
            final Set<Bytes> keys = f.indexKeysOf(i);
            for (Bytes key : keys) {
                assertTrue(index.contains(key), where + ": index entry missing for " + i.id());
            }
            // each indexed label it has, once per order: an incident appears under its current values only
            final long labelled = i.labels().keySet().stream()
                    .filter(name ->
                            name.equals("service") || name.equals("team") || name.equals("env") || name.equals("host"))
                    .count();
            assertEquals(IndexKeys.ENTRIES_PER_INCIDENT + 2 * labelled, keys.size(), where + ": " + i.labels());
            expectedEntries += keys.size();
        }
        assertEquals(expectedEntries, index.size(), where + ": orphaned or missing index entries");

        // The expiry index is kept lazily: every open incident has an entry at or before its validUntil
        // (never later, or it would expire late); entries of closed or deleted incidents may linger
        // until they fall due, when the sweep drops them.
        final Map<String, Long> earliestEntry = new HashMap<>();
        for (KeyValue<Bytes, byte[]> kv : TopologyFixture.all(f.expiryStore())) {
            final byte[] key = kv.key.get();
            final long entryTime = ByteBuffer.wrap(key, 0, 8).getLong() ^ Long.MIN_VALUE;
            final String id = new String(key, 8, key.length - 8, StandardCharsets.UTF_8);
            final Incident incident = stored.get(id);
            if (incident != null && incident.status().isOpen()) {
                assertTrue(
                        entryTime <= incident.validUntil().toEpochMilli(),
                        where + ": expiry entry of " + id + " after its validUntil");
            }
            earliestEntry.merge(id, entryTime, Math::min);
        }
        for (Incident incident : stored.values()) {
            if (incident.status().isOpen()) {
                assertTrue(
                        earliestEntry.containsKey(incident.id()),
                        where + ": open " + incident.id() + " has no expiry entry");
            }
        }

        // Retention entries (0x01 | time | id) and where each one is (0x02 | id -> time).
        final Map<String, Long> retention = new HashMap<>();
        final Map<String, Long> whereIs = new HashMap<>();
        for (KeyValue<Bytes, byte[]> kv : TopologyFixture.all(f.retentionStore())) {
            final byte[] key = kv.key.get();
            if (key[0] == 1) {
                final long closedAt = ByteBuffer.wrap(key, 1, 8).getLong() ^ Long.MIN_VALUE;
                assertNull(
                        retention.put(new String(key, 9, key.length - 9, StandardCharsets.UTF_8), closedAt),
                        where + ": two retention entries for one incident");
            } else {
                whereIs.put(
                        new String(key, 1, key.length - 1, StandardCharsets.UTF_8),
                        ByteBuffer.wrap(kv.value).getLong());
            }
        }
        assertEquals(
                refClosedAt,
                retention,
                where + ": retention index must hold exactly the closed incidents, each when it closed");
        assertEquals(retention, whereIs, where + ": every retention entry can be found by its incident's id");

        for (String tenant : List.of("acme", "globex")) {
            for (Status status : Status.values()) {
                final long expected = stored.values().stream()
                        .filter(i -> i.tenantId().equals(tenant) && i.status() == status)
                        .count();
                assertEquals(
                        expected,
                        IndexCounts.count(f.indexStore(), tenant, Set.of(), Set.of(status), Set.of()),
                        where + ": count of " + tenant + " " + status);
            }
        }

        final Map<String, String> byAlert = new HashMap<>();
        TopologyFixture.all(f.byAlertStore()).forEach(kv -> byAlert.put(kv.key, kv.value));
        assertEquals(refByAlert, byAlert, where + ": alert mapping differs from the reference");
        for (Map.Entry<String, String> e : byAlert.entrySet()) {
            final Incident latest = stored.get(e.getValue());
            assertNotNull(latest, where + ": " + e.getKey() + " points at a missing incident");
            assertEquals(e.getKey(), latest.alertKey().asString());
            for (Incident i : stored.values()) {
                if (i.alertKey().asString().equals(e.getKey())) {
                    assertTrue(
                            !i.createdAt().isAfter(latest.createdAt()),
                            where + ": " + e.getKey() + " is not at its latest");
                }
            }
        }
    }
}
