package io.incidentstream.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.incidentstream.codec.Json;
import io.incidentstream.codec.JsonSerde;
import io.incidentstream.config.Config;
import io.incidentstream.metrics.IncidentMetrics;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentEvent;
import io.incidentstream.store.BoundedRocksDbMemory;
import io.incidentstream.store.IncidentStores;
import io.incidentstream.store.IndexCounts;
import io.incidentstream.store.IndexKeys;
import io.incidentstream.store.IndexedLabels;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A {@link TopologyTestDriver} over {@link IncidentTopology#build} with the topics and stores the
 * topology tests read, and helpers to write native alerts. Wall clock and event times start at
 * {@link #START}; each fixture has its own state directory so parallel builds do not share locks.
 */
final class TopologyFixture implements AutoCloseable {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration TTL = Duration.ofMinutes(5);
    static final Duration FLAP = Duration.ofMinutes(10);

    final MeterRegistry registry;
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> alerts;
    final TestOutputTopic<String, Incident> incidents;
    final TestOutputTopic<String, IncidentEvent> events;
    final TestOutputTopic<byte[], byte[]> dlq;
    final TestInputTopic<String, String> groupingRules;
    final String applicationId;
    private final Path stateDir;
    private final IndexedLabels indexedLabels;
    private boolean closed;

    TopologyFixture() {
        this(Map.of());
    }

    TopologyFixture(final Map<String, String> overrides) {
        this(overrides, new SimpleMeterRegistry());
    }

    TopologyFixture(final Map<String, String> overrides, final MeterRegistry registry) {
        this(overrides, registry, temporaryDirectory(), new Properties(), 1);
    }

    /**
     * With {@code alerts} taken to have this many partitions (the driver reads every record from
     * partition 0): a record folds in place only when its keys belong to partition 0.
     */
    static TopologyFixture withAlertPartitions(final int alertPartitions, final Map<String, String> overrides) {
        return new TopologyFixture(
                overrides, new SimpleMeterRegistry(), temporaryDirectory(), new Properties(), alertPartitions);
    }

    /**
     * Over a state directory a test may have filled first (as an earlier version would have left it),
     * with Kafka Streams properties of its own (an application id, a processing guarantee).
     */
    TopologyFixture(final Map<String, String> overrides, final Path stateDir, final Properties streams) {
        this(overrides, new SimpleMeterRegistry(), stateDir, streams, 1);
    }

    private TopologyFixture(
            final Map<String, String> overrides,
            final MeterRegistry registry,
            final Path stateDir,
            final Properties streams,
            final int alertPartitions) {
        this.registry = registry;
        this.stateDir = stateDir;
        this.applicationId =
                streams.getProperty(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test-" + UUID.randomUUID());
        final Map<String, String> env = new HashMap<>(
                Map.of("INCIDENT_TTL", TTL.toString(), "FLAP_WINDOW", FLAP.toString(), "EXPIRY_INTERVAL", "PT1S"));
        env.putAll(overrides);
        final TopologySettings settings = TopologySettings.of(Config.from(env));
        this.indexedLabels = settings.indexedLabels();
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // the production RocksDB settings, so every topology test runs the stores as deployed
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
        props.put(BoundedRocksDbMemory.MEMORY_BYTES_CONFIG, Long.toString(64L << 20));
        // and the production exception handlers, counting into this registry
        final IncidentMetrics metrics = new IncidentMetrics(registry);
        props.putAll(ErrorHandling.settings());
        props.put(ErrorHandling.METRICS_CONFIG, metrics);
        props.putAll(streams);
        driver = new TopologyTestDriver(IncidentTopology.build(settings, metrics, alertPartitions), props, START);
        alerts = driver.createInputTopic(
                Topics.ALERTS,
                Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer());
        incidents = driver.createOutputTopic(
                Topics.INCIDENTS,
                Serdes.String().deserializer(),
                JsonSerde.of(Incident.class).deserializer());
        events = driver.createOutputTopic(
                Topics.INCIDENT_EVENTS,
                Serdes.String().deserializer(),
                JsonSerde.of(IncidentEvent.class).deserializer());
        dlq = driver.createOutputTopic(
                Topics.ALERTS_DLQ,
                Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer());
        groupingRules = driver.createInputTopic(
                Topics.GROUPING_RULES,
                Serdes.String().serializer(),
                Serdes.String().serializer());
    }

    /** Stores a grouping rule of the tenant (JSON with its id), as the rules API writes it; null JSON deletes. */
    void rule(final String tenant, final String id, final String json) {
        groupingRules.pipeInput(tenant + "/" + id, json);
    }

    static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("incident-topology-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Instant at(final long seconds) {
        return START.plusSeconds(seconds);
    }

    static byte[] utf8(final String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** A native alert; {@code validUntil} null means the configured TTL applies. */
    static String alert(
            final String tenant,
            final String alertId,
            final String status,
            final Instant checkedAt,
            final Instant validUntil) {
        return alert(tenant, alertId, status, checkedAt, validUntil, Map.of());
    }

    /** The same with labels (none: no {@code labels} field). */
    static String alert(
            final String tenant,
            final String alertId,
            final String status,
            final Instant checkedAt,
            final Instant validUntil,
            final Map<String, String> labels) {
        final String labelsJson;
        try {
            labelsJson = labels.isEmpty() ? "" : ",\"labels\":" + Json.mapper().writeValueAsString(labels);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        return "{\"tenantId\":\"" + tenant + "\",\"alertId\":\"" + alertId + "\",\"status\":\"" + status
                + "\",\"checkedAt\":\"" + checkedAt + "\""
                + (validUntil == null ? "" : ",\"validUntil\":\"" + validUntil + "\"")
                + labelsJson
                + ",\"title\":\"" + alertId + " is over its threshold\"}";
    }

    /** Sends an alert under its canonical key {@code tenant/alertId}. */
    void send(
            final String tenant,
            final String alertId,
            final String status,
            final Instant checkedAt,
            final Instant validUntil) {
        sendWithKey(utf8(tenant + "/" + alertId), tenant, alertId, status, checkedAt, validUntil);
    }

    void firing(final String alertId, final long seconds) {
        send("acme", alertId, "FIRING", at(seconds), null);
    }

    void resolved(final String alertId, final long seconds) {
        send("acme", alertId, "RESOLVED", at(seconds), null);
    }

    void sendWithKey(
            final byte[] key,
            final String tenant,
            final String alertId,
            final String status,
            final Instant checkedAt,
            final Instant validUntil) {
        alerts.pipeInput(key, utf8(alert(tenant, alertId, status, checkedAt, validUntil)));
    }

    /** Sends raw alert JSON under a key. */
    void sendJson(final String key, final String json) {
        alerts.pipeInput(utf8(key), utf8(json));
    }

    void advance(final Duration d) {
        driver.advanceWallClockTime(d);
    }

    KeyValueStore<String, Incident> incidentStore() {
        return driver.getKeyValueStore(IncidentStores.INCIDENTS);
    }

    KeyValueStore<String, String> byAlertStore() {
        return driver.getKeyValueStore(IncidentStores.BY_ALERT);
    }

    KeyValueStore<Bytes, byte[]> indexStore() {
        return driver.getKeyValueStore(IncidentStores.INDEX);
    }

    KeyValueStore<Bytes, byte[]> expiryStore() {
        return driver.getKeyValueStore(IncidentStores.EXPIRY);
    }

    KeyValueStore<Bytes, byte[]> retentionStore() {
        return driver.getKeyValueStore(IncidentStores.RETENTION);
    }

    /** The list index's entries, in key order, without the counts kept in the same store. */
    /** The list-index keys of an incident as this topology writes them (its labels in INDEXED_LABELS included). */
    Set<Bytes> indexKeysOf(final Incident incident) {
        return IndexKeys.keysOf(incident, indexedLabels);
    }

    List<KeyValue<Bytes, byte[]>> indexEntries() {
        return all(indexStore()).stream()
                .filter(kv -> !IndexCounts.isCount(kv.key))
                .toList();
    }

    /** Every entry of a store, in key order. */
    static <K, V> List<KeyValue<K, V>> all(final KeyValueStore<K, V> store) {
        final List<KeyValue<K, V>> out = new ArrayList<>();
        try (KeyValueIterator<K, V> it = store.all()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    /** The single stored incident of an alert of tenant acme (its latest). */
    Incident latest(final String alertId) {
        final String id = byAlertStore().get("acme/" + alertId);
        return id == null ? null : incidentStore().get(id);
    }

    double counter(final String name, final String tag, final String value) {
        return registry.get(name).tag(tag, value).counter().count();
    }

    double counter(final String name) {
        return registry.get(name).counter().count();
    }

    /** Idempotent, so a test may close the driver itself (as a revocation would) before the fixture's own close. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        driver.close();
        try (Stream<Path> paths = Files.walk(stateDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
