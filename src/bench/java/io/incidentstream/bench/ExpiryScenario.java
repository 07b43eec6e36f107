package io.incidentstream.bench;

import io.incidentstream.config.Config;
import io.incidentstream.kafka.KafkaConnection;
import io.incidentstream.metrics.IncidentMetrics;
import io.incidentstream.runtime.StreamsRunner;
import io.incidentstream.store.IncidentStore;
import io.incidentstream.store.IncidentStores;
import io.incidentstream.topology.IncidentTopology;
import io.incidentstream.topology.Topics;
import io.incidentstream.topology.TopologySettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Scenario 3: the cost of one expiry sweep with 1,000 incidents due, in a store of 10k incidents
 * and in one of the full size. The real topology ({@link IncidentTopology#build}) runs in a
 * {@link TopologyTestDriver} over real RocksDB stores (the driver uses the persistent stores the
 * topology declares, cached and logged as in production), one partition holding the whole store — harsher
 * than production, where the store is spread over 6 partitions. The due incidents are spread
 * evenly through the store (so they are not all recently written and hot).
 *
 * <p>The wall clock is mocked: advancing it fires the real {@code IncidentProcessor} punctuation
 * once. Each sweep's time is the {@code incidents.expiry.sweep} timer's increase (the punctuation
 * itself: range over the expiry index, reads, state changes, forwards), and also the wall time of
 * the whole advance (punctuation plus the commit that flushes the counters' cache and the stores). The first
 * sweep warms the JIT and is not counted; the median of the others is.
 */
final class ExpiryScenario {
    static final int DUE_PER_SWEEP = 1000;
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final Duration STEP = Duration.ofSeconds(10);
    private static final int DRAIN_EVERY = 5000;

    record Sweep(double timerMs, double wallMs, long expired) {}

    /**
     * @param rebuildSeconds how long {@link IncidentStore#rebuildIndexes} took on the loaded store: what
     *        a task costs to start when it cannot trust its indexes (after a crash, a move, under at-least-once)
     */
    record Result(long storeSize, double loadSeconds, List<Sweep> sweeps, double rebuildSeconds) {
        /** Median punctuation time of the counted sweeps (all but the first). */
        double medianTimerMs() {
            return median(sweeps.subList(1, sweeps.size()).stream()
                    .mapToDouble(Sweep::timerMs)
                    .toArray());
        }

        double medianWallMs() {
            return median(sweeps.subList(1, sweeps.size()).stream()
                    .mapToDouble(Sweep::wallMs)
                    .toArray());
        }
    }

    private ExpiryScenario() {}

    /**
     * Loads both stores, then sweeps them alternately (small, big, small, big …) so that drift of
     * the shared machine hits both alike.
     *
     * @param sweeps sweeps per store, the first one a warm-up
     * @param duePerSweep incidents due at each sweep ({@link #DUE_PER_SWEEP} in the benchmark)
     */
    static List<Result> run(
            final long smallSize, final long bigSize, final int sweeps, final int duePerSweep, final Path work)
            throws IOException {
        try (Store small = new Store(smallSize, sweeps, duePerSweep, work);
                Store big = new Store(bigSize, sweeps, duePerSweep, work)) {
            Bench.log(
                    "expiry: %,d and %,d incidents loaded in %.1f s and %.1f s",
                    smallSize, bigSize, small.loadSeconds, big.loadSeconds);
            for (int s = 0; s < sweeps; s++) {
                small.sweep();
                big.sweep();
            }
            return List.of(small.result(), big.result());
        }
    }

    /** One store in its own driver and state directory, loaded, with its sweeps so far. */
    private static final class Store implements AutoCloseable {
        private final long size;
        private final Path stateDir;
        private final TopologyTestDriver driver;
        private final Timer timer;
        private final Counter expired;
        private final double loadSeconds;
        private final List<Sweep> sweeps = new ArrayList<>();

        Store(final long size, final int sweepCount, final int due, final Path work) throws IOException {
            if (size < (long) sweepCount * due) {
                throw new IllegalArgumentException(
                        "a store of " + size + " cannot hold " + sweepCount + " x " + due + " due incidents");
            }
            this.size = size;
            this.stateDir = Files.createTempDirectory(work, "expiry-state");
            final SimpleMeterRegistry registry = new SimpleMeterRegistry();
            final Config config =
                    Config.from(Map.of("EXPIRY_INTERVAL", "PT1S", "EXPIRY_MAX_PER_TICK", Integer.toString(due)));
            // the production settings (bounded RocksDB memory, no task idling), as the app runs its stores
            final Properties props = StreamsRunner.properties(config, KafkaConnection.plain("unused:9092"));
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-expiry");
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            this.driver = new TopologyTestDriver(
                    IncidentTopology.build(TopologySettings.of(config), new IncidentMetrics(registry), 1), props, NOW);
            this.loadSeconds = load(driver, size, sweepCount, due);
            this.timer = registry.find("incidents.expiry.sweep").timer();
            this.expired = registry.find("incidents.expired").counter();
        }

        void sweep() {
            final double timerBefore = timer.totalTime(TimeUnit.NANOSECONDS);
            final long countBefore = timer.count();
            final double expiredBefore = expired.count();
            final long start = System.nanoTime();
            driver.advanceWallClockTime(STEP);
            final double wall = (System.nanoTime() - start) / 1e6;
            if (timer.count() != countBefore + 1) {
                throw new IllegalStateException(
                        "expected one punctuation per step, saw " + (timer.count() - countBefore));
            }
            sweeps.add(new Sweep((timer.totalTime(TimeUnit.NANOSECONDS) - timerBefore) / 1e6, wall, (long)
                    (expired.count() - expiredBefore)));
            drain(driver, new HashMap<>());
        }

        /** Rebuilds the derived indexes over the loaded stores, as an untrusted task start does; returns the seconds. */
        double rebuild() {
            final IncidentStore store = new IncidentStore(
                    driver.getKeyValueStore(IncidentStores.INCIDENTS),
                    driver.getKeyValueStore(IncidentStores.BY_ALERT),
                    driver.getKeyValueStore(IncidentStores.INDEX),
                    driver.getKeyValueStore(IncidentStores.EXPIRY),
                    driver.getKeyValueStore(IncidentStores.RETENTION),
                    driver.getKeyValueStore(IncidentStores.COUNTERS),
                    driver.getKeyValueStore(IncidentStores.COMMAND_RESULTS));
            final long start = System.nanoTime();
            final long indexed = store.rebuildIndexes();
            if (indexed != size) {
                throw new IllegalStateException("rebuilt the indexes of " + indexed + " incidents, expected " + size);
            }
            return (System.nanoTime() - start) / 1e9;
        }

        Result result() {
            return new Result(size, loadSeconds, List.copyOf(sweeps), rebuild());
        }

        @Override
        public void close() throws IOException {
            driver.close();
            deleteTree(stateDir);
        }
    }

    /** Pipes {@code storeSize} FIRING alerts: the due ones spread evenly, due one sweep after another. */
    private static double load(
            final TopologyTestDriver driver, final long storeSize, final int sweeps, final int duePerSweep) {
        final long start = System.nanoTime();
        final TestInputTopic<byte[], byte[]> alerts = driver.createInputTopic(
                Topics.ALERTS,
                Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer());
        final AlertSet set = AlertSet.distinct(storeSize, NOW.minus(Duration.ofHours(3)), Duration.ofDays(30));
        final long dueTotal = (long) sweeps * duePerSweep;
        final long stride = storeSize / dueTotal;
        final Map<String, TestOutputTopic<byte[], byte[]>> outputs = new HashMap<>();
        for (long i = 0; i < storeSize; i++) {
            final AlertSet.Event e = set.event(i);
            final boolean due = i % stride == 0 && i / stride < dueTotal;
            final Instant validUntil =
                    due ? NOW.plus(STEP.multipliedBy(i / stride % sweeps + 1)).minusSeconds(5) : e.validUntil();
            alerts.pipeInput(e.key(), e.nativeJson(validUntil).getBytes(StandardCharsets.UTF_8));
            if (i % DRAIN_EVERY == 0) {
                drain(driver, outputs);
            }
        }
        drain(driver, outputs);
        return (System.nanoTime() - start) / 1e9;
    }

    /** The driver keeps every record produced (outputs, changelogs) in memory until read: read them. */
    private static void drain(
            final TopologyTestDriver driver, final Map<String, TestOutputTopic<byte[], byte[]>> outputs) {
        for (String topic : driver.producedTopicNames()) {
            final TestOutputTopic<byte[], byte[]> out = outputs.computeIfAbsent(
                    topic,
                    t -> driver.createOutputTopic(
                            t,
                            Serdes.ByteArray().deserializer(),
                            Serdes.ByteArray().deserializer()));
            while (!out.isEmpty()) {
                out.readRecord();
            }
        }
    }

    static double median(final double[] values) {
        final double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        final int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static void deleteTree(final Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }
}
