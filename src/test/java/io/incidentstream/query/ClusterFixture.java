package io.incidentstream.query;

import io.incidentstream.errors.UnavailableException;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentId;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Source;
import io.incidentstream.model.Status;
import io.incidentstream.model.TimelineEntry;
import io.incidentstream.store.CursorCodec;
import io.incidentstream.store.InMemoryStores;
import io.incidentstream.store.IncidentSerde;
import io.incidentstream.store.IncidentStore;
import io.incidentstream.store.IndexedLabels;
import io.incidentstream.store.PartitionStores;
import io.incidentstream.store.StandbyStores;
import io.incidentstream.store.StoreAccess;
import io.incidentstream.testkit.RandomEnums;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A simulated cluster for query tests: one input topic of {@code partitionCount} partitions, each
 * with real in-memory stores filled through {@link IncidentStore#save} (the processor's only write
 * path), and "instances" that each serve only the partitions they are told they own.
 */
public final class ClusterFixture implements AutoCloseable {
    public static final String TENANT = "acme";
    public static final String OTHER_TENANT = "globex";
    public static final CursorCodec CURSORS =
            new CursorCodec("cluster-fixture-secret".getBytes(StandardCharsets.UTF_8));
    private static final Instant BASE = Instant.parse("2026-03-01T00:00:00Z");

    /** The labels the fixture's stores index, as INDEXED_LABELS would say; {@code region} is left out. */
    public static final IndexedLabels INDEXED = IndexedLabels.of(List.of("service", "team"));

    private final int partitionCount;
    private final int scanBudget;
    private final InMemoryStores stores = new InMemoryStores();
    private final Map<Integer, PartitionStores> partitions = new TreeMap<>();
    private final Map<Integer, IncidentStore> writers = new TreeMap<>();
    private final List<Incident> saved = new ArrayList<>();

    public ClusterFixture(final int partitionCount) {
        this(partitionCount, LocalIncidentQueries.LABEL_SCAN_BUDGET);
    }

    /** @param scanBudget index entries an instance reads for a page whose label matchers the index does not answer */
    public ClusterFixture(final int partitionCount, final int scanBudget) {
        this.partitionCount = partitionCount;
        this.scanBudget = scanBudget;
        for (int p = 0; p < partitionCount; p++) {
            final KeyValueStore<String, Incident> incidents =
                    store("incidents-" + p, Serdes.String(), IncidentSerde.serde());
            final KeyValueStore<Bytes, byte[]> index = store("index-" + p, Serdes.Bytes(), Serdes.ByteArray());
            final KeyValueStore<String, byte[]> results = store("results-" + p, Serdes.String(), Serdes.ByteArray());
            partitions.put(p, new PartitionStores(p, incidents, index, results));
            writers.put(
                    p,
                    new IncidentStore(
                            incidents,
                            store("by-alert-" + p, Serdes.String(), Serdes.String()),
                            index,
                            store("expiry-" + p, Serdes.Bytes(), Serdes.ByteArray()),
                            store("retention-" + p, Serdes.Bytes(), Serdes.ByteArray()),
                            store("sequence-" + p, Serdes.String(), Serdes.Long()),
                            results,
                            System::currentTimeMillis,
                            INDEXED));
        }
    }

    private <K, V> KeyValueStore<K, V> store(final String name, final Serde<K> keys, final Serde<V> values) {
        return stores.create(name, keys, values);
    }

    /**
     * Saves {@code count} incidents spread over all partitions: few distinct times, so many tie on
     * time across partitions and the id decides; every tenth belongs to {@link #OTHER_TENANT}. Labels:
     * {@code service} one of seven, {@code team} on every third, {@code region} one of four.
     */
    public ClusterFixture fill(final int count, final long seed) {
        final Random random = new Random(seed);
        final long[] sequences = new long[partitionCount];
        for (int i = 0; i < count; i++) {
            final int p = random.nextInt(partitionCount);
            final Instant created = BASE.plusSeconds(random.nextInt(40));
            final Instant updated = created.plusSeconds(random.nextInt(20));
            save(incident(IncidentId.of(p, ++sequences[p]), i % 10 == 9 ? OTHER_TENANT : TENANT)
                    .alertId("alert-" + i)
                    .alertTemplateId("template-" + i % 5)
                    .status(RandomEnums.pick(random, Status.class))
                    .severity(RandomEnums.pick(random, Severity.class))
                    .source(random.nextInt(4) == 0 ? Source.MANUAL : Source.AUTOMATED)
                    .createdAt(created)
                    .updatedAt(updated)
                    .lastCheckedAt(updated)
                    .validUntil(updated.plus(Duration.ofMinutes(5)))
                    .labels(labels(i))
                    .build());
        }
        return this;
    }

    private static Map<String, String> labels(final int i) {
        final Map<String, String> labels = new TreeMap<>();
        labels.put("service", "svc-" + i % 7);
        labels.put("region", "eu-" + i % 4);
        if (i % 3 == 0) {
            labels.put("team", "team-" + i % 2);
        }
        return labels;
    }

    /** An ACTIVE, HIGH incident with a one-entry timeline; callers change what they need. */
    public static Incident.Builder incident(final String id, final String tenant) {
        return new Incident.Builder()
                .id(id)
                .tenantId(tenant)
                .alertId("alert-" + id)
                .alertVersion(1)
                .alertTemplateId("template")
                .status(Status.ACTIVE)
                .severity(Severity.HIGH)
                .title("Usage above threshold")
                .source(Source.AUTOMATED)
                .createdAt(BASE)
                .updatedAt(BASE)
                .lastCheckedAt(BASE)
                .validUntil(BASE.plusSeconds(300))
                .alertCount(1)
                .labels(Map.of("service", "billing"))
                .addTransition(new TimelineEntry(BASE, null, Status.ACTIVE, TimelineEntry.SOURCE_ALERT, null, null));
    }

    /** Writes a new incident to the partition its id names, as the processor would. */
    public Incident save(final Incident incident) {
        writers.get(IncidentId.partitionOf(incident.id())).save(null, incident);
        saved.add(incident);
        return incident;
    }

    /** The processor-side store of one partition, for tests that apply commands as the processor would. */
    public IncidentStore writer(final int partition) {
        return writers.get(partition);
    }

    /** The incident as last saved. */
    public Incident current(final String id) {
        return saved.stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
    }

    /** Writes a change of a saved incident, as the processor would. */
    public Incident update(final Incident before, final Incident after) {
        writers.get(IncidentId.partitionOf(after.id())).save(before, after);
        saved.replaceAll(i -> i.id().equals(after.id()) ? after : i);
        return after;
    }

    /** Every incident saved, with its timeline. */
    public List<Incident> all() {
        return List.copyOf(saved);
    }

    /** What a complete list for {@code q} must be: the tenant's matches in page order, without timelines. */
    public List<Incident> expected(final ListQuery q) {
        final Comparator<Incident> ascending =
                Comparator.<Incident>comparingLong(i -> q.sort().timeOf(i)).thenComparing(Incident::id);
        return saved.stream()
                .filter(i -> i.tenantId().equals(q.tenant()))
                .filter(i -> q.statuses().isEmpty() || q.statuses().contains(i.status()))
                .filter(i -> q.severities().isEmpty() || q.severities().contains(i.severity()))
                .filter(i -> q.alertId() == null || q.alertId().equals(i.alertId()))
                .filter(i -> q.alertTemplateId() == null || q.alertTemplateId().equals(i.alertTemplateId()))
                .filter(i -> q.source() == null || q.source() == i.source())
                .filter(i -> q.createdAfter() == null || !i.createdAt().isBefore(q.createdAfter()))
                .filter(i -> q.createdBefore() == null || i.createdAt().isBefore(q.createdBefore()))
                .filter(i -> q.labels().stream().allMatch(m -> m.matches(i.labels())))
                .sorted(q.descending() ? ascending.reversed() : ascending)
                .map(Incident::withoutTimeline)
                .toList();
    }

    /** An instance whose active tasks are exactly {@code owned}. */
    public LocalIncidentQueries instance(final Set<Integer> owned) {
        return new LocalIncidentQueries(access(owned), CURSORS, INDEXED, scanBudget);
    }

    /**
     * An instance whose active tasks are {@code owned} and which keeps standby copies of {@code standbys},
     * each lagging {@code lag} records; it reads them only while {@code lag <= maxStaleness}.
     */
    public LocalIncidentQueries instance(
            final Set<Integer> owned, final Set<Integer> standbys, final long lag, final long maxStaleness) {
        final StoreAccess active = access(owned);
        final List<PartitionStores> copies = partitions.values().stream()
                .filter(p -> standbys.contains(p.partition()))
                .map(p -> new PartitionStores(p.partition(), p.incidents(), null, p.results()))
                .toList();
        return new LocalIncidentQueries(
                new StoreAccess() {
                    @Override
                    public List<PartitionStores> activePartitions() {
                        return active.activePartitions();
                    }

                    @Override
                    public Optional<PartitionStores> partition(final int partition) {
                        return active.partition(partition);
                    }

                    @Override
                    public StandbyStores standby(final Set<Integer> wanted) {
                        if (!standbys.containsAll(wanted)) {
                            throw new UnavailableException("no copy of " + wanted, Duration.ofSeconds(2));
                        }
                        if (lag > maxStaleness) {
                            throw new UnavailableException("the copy lags " + lag, Duration.ofSeconds(2));
                        }
                        return new StandbyStores(
                                copies.stream()
                                        .filter(p -> wanted.contains(p.partition()))
                                        .toList(),
                                lag);
                    }

                    @Override
                    public int partitionCount() {
                        return partitionCount;
                    }
                },
                CURSORS,
                INDEXED,
                scanBudget);
    }

    public StoreAccess access(final Set<Integer> owned) {
        final List<PartitionStores> mine = partitions.values().stream()
                .filter(p -> owned.contains(p.partition()))
                .toList();
        return new StoreAccess() {
            @Override
            public List<PartitionStores> activePartitions() {
                return mine;
            }

            @Override
            public Optional<PartitionStores> partition(final int partition) {
                return mine.stream().filter(p -> p.partition() == partition).findFirst();
            }

            @Override
            public int partitionCount() {
                return partitionCount;
            }
        };
    }

    /** An instance whose stores cannot be queried (restoring, rebalancing). */
    public LocalIncidentQueries restoringInstance() {
        return new LocalIncidentQueries(
                new StoreAccess() {
                    @Override
                    public List<PartitionStores> activePartitions() {
                        throw new UnavailableException("stores are restoring", Duration.ofSeconds(2));
                    }

                    @Override
                    public Optional<PartitionStores> partition(final int partition) {
                        throw new UnavailableException("stores are restoring", Duration.ofSeconds(2));
                    }

                    @Override
                    public int partitionCount() {
                        return partitionCount;
                    }
                },
                CURSORS);
    }

    /** A query of {@link #TENANT} as a client would write it, parsed as the HTTP layer would. */
    public static ListQuery query(final String queryString) {
        return ListQueryParser.parse(TENANT, split(queryString));
    }

    /** What a peer parses from {@link ListQueryCodec#toQueryString}: the query as it arrives over the wire. */
    public static ListQuery overTheWire(final ListQuery q) {
        return ListQueryParser.parse(q.tenant(), split(ListQueryCodec.toQueryString(q)));
    }

    /** A plain {@code application/x-www-form-urlencoded} splitter, independent of the code under test. */
    public static Map<String, List<String>> split(final String queryString) {
        final Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : queryString.split("&", -1)) {
            if (!pair.isEmpty()) {
                final int eq = pair.indexOf('=');
                params.computeIfAbsent(
                                URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                                k -> new ArrayList<>())
                        .add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    @Override
    public void close() {
        stores.close();
    }
}
