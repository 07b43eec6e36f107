package io.incidentstream.bench;

import io.incidentstream.codec.JsonSerde;
import io.incidentstream.config.Config;
import io.incidentstream.ingest.AlertDecoder;
import io.incidentstream.kafka.KafkaConnection;
import io.incidentstream.metrics.IncidentMetrics;
import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.Incident;
import io.incidentstream.model.Lifecycle;
import io.incidentstream.runtime.StreamsRunner;
import io.incidentstream.store.IncidentSerde;
import io.incidentstream.topology.IncidentTopology;
import io.incidentstream.topology.Topics;
import io.incidentstream.topology.TopologySettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * One ingest measurement, in its own JVM (so each variant starts cold and alike, and JFR can be
 * attached): a Kafka Streams client over the pre-produced {@code alerts} topic, built by
 * {@link StreamsRunner} (exactly the production properties: guarantee, batching, standbys …) around
 * the incident topology, a raw {@code stream(alerts).to(out)} passthrough with byte serdes, or the
 * minimal durable fold ({@link #floor}).
 *
 * <p>Time runs from the first non-empty poll of the main consumer (a consumer interceptor notes it,
 * the only addition to the production settings) to the end: under exactly_once_v2, the moment the
 * group's committed offsets on {@code alerts} reach the end of the topic (an offset is committed
 * only together with the outputs and changelog writes it caused, so that is "fully processed");
 * under at_least_once, whose commit interval is 30 s, the moment the stream thread has processed
 * every record ({@code process-total}), so the last cache flush into the stores' changelogs is not
 * in that figure.
 *
 * <p>usage: {@code IngestRunner topology|passthrough|floor|floor-grouped|floor-json <guarantee> <bootstrap> <records> <stateDir> <applicationId> <partitions>
 * [NAME=value,…]} (the last: more application environment, such as {@code KAFKA_STREAMS_COMMIT_INTERVAL_MS=1000}) and
 * prints one line {@code INGEST records=… seconds=… per_s=… [outcome=count …]}.
 */
public final class IngestRunner {
    /** Where the passthrough writes. */
    static final String PASSTHROUGH_OUT = "bench-passthrough-out";
    /** Where the minimal fold writes. */
    static final String FLOOR_OUT = "bench-floor-out";
    /** The minimal fold's one store. */
    static final String FLOOR_STORE = "floor-store";
    /**
     * System property: a file holding one incident's JSON, which the minimal fold writes (with the
     * production serializer) as every output record, after decoding the alert.
     */
    static final String FLOOR_INCIDENT = "bench.floor.incident";

    private static final long POLL_MS = 20;

    private IngestRunner() {}

    public static void main(final String[] args) throws Exception {
        final String variant = args[0];
        final String bootstrap = args[2];
        final long records = Long.parseLong(args[3]);
        final String appId = args[5];
        final Map<String, String> env = new HashMap<>(args.length > 7 ? Bench.envList(args[7]) : Map.of());
        env.putAll(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS",
                bootstrap,
                "APPLICATION_ID",
                appId,
                "DATA_DIR",
                args[4],
                "PROCESSING_GUARANTEE",
                args[1],
                "HTTP_PORT",
                "0",
                "KAFKA_STREAMS_MAIN_CONSUMER_INTERCEPTOR_CLASSES",
                FirstPoll.class.getName()));
        final Config config = Config.from(env);
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final Topology topology = switch (variant) {
            case "topology" ->
                IncidentTopology.build(
                        TopologySettings.of(config), new IncidentMetrics(registry), Integer.parseInt(args[6]));
            case "floor" -> floor(storedIncidentBytes(config), false, JsonCodec.sampled(config));
            case "floor-grouped" -> floor(storedIncidentBytes(config), true, JsonCodec.sampled(config));
            case "floor-json" -> floor(storedIncidentBytes(config), false, new JsonCodec(config, null));
            default -> passthrough();
        };
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
                StreamsRunner runner = new StreamsRunner(topology, config, KafkaConnection.plain(bootstrap))) {
            runner.start();
            final long deadline = System.nanoTime() + 1_800_000_000_000L;
            final boolean eos = !"at_least_once".equals(args[1]);
            // and, for the topology, until the fold applied every record (a grouped alert goes through
            // the re-key repartition first: committing its alerts offset is not yet folding it)
            while ((eos
                            ? BenchBroker.committed(admin, appId, Topics.ALERTS) < records
                            : processed(runner.streams()) < records)
                    || (variant.equals("topology") && folded(registry) < records)
                    || (variant.equals("floor-grouped") && FloorFold.FOLDED.sum() < records)) {
                final KafkaStreams.State state = runner.streams().state();
                if (System.nanoTime() > deadline
                        || state == KafkaStreams.State.ERROR
                        || state == KafkaStreams.State.NOT_RUNNING
                        || state == KafkaStreams.State.PENDING_ERROR) {
                    throw new IllegalStateException("not done: streams " + state);
                }
                Thread.sleep(POLL_MS);
            }
            final double seconds = (System.nanoTime() - FirstPoll.firstNanos) / 1e9;
            System.out.println("THREAD " + threadShares(runner.streams()) + streamThreadCpu(records));
            System.out.printf(
                    Locale.ROOT,
                    "INGEST records=%d seconds=%.3f per_s=%.0f%s out_record_bytes=%.0f%n",
                    records,
                    seconds,
                    records / seconds,
                    outcomes(registry),
                    meanRecordBytes(runner.streams(), variant.equals("topology") ? Topics.INCIDENTS : FLOOR_OUT));
        }
        registry.close();
    }

    /** Records processed by the stream threads so far (thread-level {@code process-total}). */
    private static double processed(final KafkaStreams streams) {
        return streams.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("process-total")
                        && e.getKey().group().equals("stream-thread-metrics"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    /**
     * Where the stream threads spent their time (Streams' own poll/process/punctuate/commit ratios,
     * averaged over the last metrics window) and what the producers wrote, for the run's log.
     */
    private static String threadShares(final KafkaStreams streams) {
        final Map<String, Double> sums = new TreeMap<>();
        streams.metrics().forEach((name, metric) -> {
            final boolean thread =
                    name.group().equals("stream-thread-metrics") && name.name().endsWith("-ratio");
            final boolean producer = name.group().equals("producer-metrics")
                    && (name.name().equals("record-send-total") || name.name().equals("outgoing-byte-total"));
            if ((thread || producer) && metric.metricValue() instanceof Number n) {
                sums.merge(name.name(), n.doubleValue(), Double::sum);
            }
            if (name.group().equals("producer-topic-metrics")
                    && (name.name().equals("record-send-total") || name.name().equals("byte-total"))
                    && metric.metricValue() instanceof Number n) {
                sums.merge(
                        (name.name().equals("byte-total") ? "bytes:" : "sent:")
                                + name.tags().get("topic").replace(appId(name), ""),
                        n.doubleValue(),
                        Double::sum);
            }
        });
        final StringBuilder s = new StringBuilder();
        sums.forEach((k, v) -> s.append(k)
                .append('=')
                .append(String.format(Locale.ROOT, k.endsWith("-ratio") ? "%.2f" : "%.0f", v))
                .append(' '));
        return s.toString().trim();
    }

    /** The mean size of the records the producers wrote to {@code topic} (batch overhead included). */
    private static double meanRecordBytes(final KafkaStreams streams, final String topic) {
        double bytes = 0;
        double records = 0;
        for (var e : streams.metrics().entrySet()) {
            if (e.getKey().group().equals("producer-topic-metrics")
                    && topic.equals(e.getKey().tags().get("topic"))
                    && e.getValue().metricValue() instanceof Number n) {
                if (e.getKey().name().equals("byte-total")) {
                    bytes += n.doubleValue();
                } else if (e.getKey().name().equals("record-send-total")) {
                    records += n.doubleValue();
                }
            }
        }
        return records == 0 ? 0 : bytes / records;
    }

    /** CPU time of the stream threads per record: steadier than throughput when the machine is shared. */
    private static String streamThreadCpu(final long records) {
        final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long nanos = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().contains("StreamThread")) {
                nanos += Math.max(0, threads.getThreadCpuTime(t.getId()));
            }
        }
        final long process = ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        return String.format(
                Locale.ROOT,
                " stream_thread_cpu_us_per_record=%.1f process_cpu_us_per_record=%.1f",
                nanos / 1e3 / records,
                process / 1e3 / records);
    }

    private static String appId(final org.apache.kafka.common.MetricName name) {
        final String topic = name.tags().get("topic");
        final int cut = topic.indexOf("-incident");
        return cut > 0 && topic.endsWith("-changelog") ? topic.substring(0, cut + 1) : "";
    }

    private static Topology passthrough() {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream(Topics.ALERTS, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .to(PASSTHROUGH_OUT, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        return builder.build();
    }

    /**
     * The cheapest durable fold: one processor with one persistent, changelogged, uncached key-value
     * store keyed by the record key (the alert key), one {@code get} and one {@code put} of a value
     * the size of a stored incident per event, and one output record per event. What any fold that
     * makes each event durable and publishes it must at least do; the topology's floor.
     *
     * <p>The output record is the stored value. With
     * {@code grouped}, the floor of a grouped fold: each event is first keyed by its group (the
     * benchmark's host, read off the alert key) and, unless that key's partition is the record's own,
     * re-keyed through a repartition topic, as the topology's re-key step does; the store is then keyed
     * by the group. With a {@code json} codec, the floor of any fold of this contract: each event is
     * also decoded by the production decoder and the output is the production JSON of the incident it
     * opens (or of the sample incident {@value #FLOOR_INCIDENT} names: the grouped scenario passes one
     * of the topology's own {@code incidents} records of about the mean size), the two pieces of work no
     * fold that takes JSON alerts and publishes JSON incidents can skip.
     */
    private static Topology floor(final int storeBytes, final boolean grouped, final JsonCodec json) {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(FLOOR_STORE), Serdes.ByteArray(), Serdes.ByteArray())
                .withCachingDisabled());
        final KStream<byte[], byte[]> alerts =
                builder.stream(Topics.ALERTS, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()));
        final KStream<byte[], byte[]> folded;
        if (grouped) {
            final Map<String, KStream<byte[], byte[]>> routes = alerts.process(GroupRouter::new)
                    .split(Named.as("floor-"))
                    .branch((key, value) -> value[0] == GroupRouter.IN_PLACE, Branched.as("keyed"))
                    .defaultBranch(Branched.as("rekey"));
            folded = routes.get("floor-keyed")
                    .merge(routes.get("floor-rekey")
                            .repartition(Repartitioned.with(Serdes.ByteArray(), Serdes.ByteArray())
                                    .withName("floor-rekey")))
                    .mapValues(v -> Arrays.copyOfRange(v, 1, v.length));
        } else {
            folded = alerts;
        }
        folded.process(() -> new FloorFold(storeBytes, json), FLOOR_STORE)
                .to(FLOOR_OUT, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        return builder.build();
    }

    /**
     * Keys an event by its group, the benchmark rule's host: the alert key {@code tenant/host-N-…}
     * up to its second dash (the tenant has none). The value gains one leading byte saying whether the group's partition
     * is the record's own (no repartition needed), as the topology's decode step decides.
     */
    private static final class GroupRouter implements Processor<byte[], byte[], byte[], byte[]> {
        static final byte IN_PLACE = 1;
        private ProcessorContext<byte[], byte[]> context;
        private int partitions;

        @Override
        public void init(final ProcessorContext<byte[], byte[]> context) {
            this.context = context;
            this.partitions = Bench.PARTITIONS;
        }

        @Override
        public void process(final Record<byte[], byte[]> record) {
            final byte[] key = record.key();
            int dashes = 0;
            int end = key.length;
            for (int i = 0; i < key.length; i++) {
                if (key[i] == '-' && ++dashes == 2) {
                    end = i;
                    break;
                }
            }
            final byte[] group = Arrays.copyOf(key, end);
            final int partition = Utils.toPositive(Utils.murmur2(group)) % partitions;
            final byte[] value = new byte[record.value().length + 1];
            value[0] = partition == context.recordMetadata().orElseThrow().partition() ? IN_PLACE : 0;
            System.arraycopy(record.value(), 0, value, 1, record.value().length);
            context.forward(record.withKey(group).withValue(value));
        }
    }

    /**
     * One get and one put per event; the stored value carries the event and a counter, padded to an
     * incident's size; the output is that value, or with a {@code json} codec the JSON of an incident
     * (see {@link #floor}).
     */
    private static final class FloorFold implements Processor<byte[], byte[], byte[], byte[]> {
        /** Events folded in this JVM: a grouped floor's run ends when every event is folded, not just read. */
        static final LongAdder FOLDED = new LongAdder();

        private final int storeBytes;
        private final JsonCodec json;
        private ProcessorContext<byte[], byte[]> context;
        private KeyValueStore<byte[], byte[]> store;

        FloorFold(final int storeBytes, final JsonCodec json) {
            this.storeBytes = storeBytes;
            this.json = json;
        }

        @Override
        public void init(final ProcessorContext<byte[], byte[]> context) {
            this.context = context;
            this.store = context.getStateStore(FLOOR_STORE);
        }

        @Override
        public void process(final Record<byte[], byte[]> record) {
            final byte[] previous = store.get(record.key());
            final long count = previous == null ? 1 : ByteBuffer.wrap(previous).getLong() + 1;
            final byte[] value = new byte[Math.max(storeBytes, record.value().length + 8)];
            ByteBuffer.wrap(value).putLong(count).put(record.value());
            store.put(record.key(), value);
            context.forward(record.withValue(json == null ? value : json.incidentOf(record.value())));
            FOLDED.increment();
        }
    }

    /** The production alert decoder and incident JSON writer, for the floor of this contract. */
    private static final class JsonCodec {
        private final AlertDecoder decoder;
        private final Lifecycle lifecycle;
        private final Serde<Incident> incidents = JsonSerde.of(Incident.class);
        private final Incident sample;

        /** {@code sample}: the JSON of the incident to write for every event, or null for the one each opens. */
        JsonCodec(final Config config, final byte[] sample) {
            this.decoder = new AlertDecoder(config.incidentTtl());
            this.lifecycle = new Lifecycle(config.flapWindow());
            this.sample = sample == null ? null : incidents.deserializer().deserialize(Topics.INCIDENTS, sample);
        }

        /** The codec writing the sample incident {@value #FLOOR_INCIDENT} names, or null without one. */
        static JsonCodec sampled(final Config config) throws IOException {
            final String file = System.getProperty(FLOOR_INCIDENT);
            return file == null ? null : new JsonCodec(config, Files.readAllBytes(Path.of(file)));
        }

        byte[] incidentOf(final byte[] alertJson) {
            final AlertEvent event = decoder.decode(alertJson);
            final Incident incident = sample != null
                    ? sample
                    : lifecycle.apply(null, event, () -> "incident.floor").incident();
            return incidents.serializer().serialize(Topics.INCIDENTS, incident);
        }
    }

    /**
     * What the incidents store holds for one of the benchmark's incidents: the first event of the
     * set, folded and written by the production serde (about 600 bytes).
     */
    private static int storedIncidentBytes(final Config config) {
        final AlertSet.Event first =
                AlertSet.ingest(10, Instant.now(), Duration.ofHours(1)).event(0);
        final AlertEvent event =
                new AlertDecoder(config.incidentTtl()).decode(first.nativeJson().getBytes(StandardCharsets.UTF_8));
        final Incident incident = new Lifecycle(config.flapWindow())
                .apply(null, event, () -> "incident.0.1")
                .incident();
        return IncidentSerde.serde().serializer().serialize(FLOOR_STORE, incident).length;
    }

    /** {@code alerts.consumed} by outcome, so the report shows what the set did to the incidents. */
    /** Alert events the fold has applied, whatever the outcome. */
    private static long folded(final PrometheusMeterRegistry registry) {
        long n = 0;
        for (Counter c : registry.find("alerts.consumed").counters()) {
            n += (long) c.count();
        }
        return n;
    }

    private static String outcomes(final PrometheusMeterRegistry registry) {
        final Map<String, Long> byOutcome = new TreeMap<>();
        for (Counter c : registry.find("alerts.consumed").counters()) {
            if (c.count() > 0) {
                byOutcome.put(c.getId().getTag("outcome"), (long) c.count());
            }
        }
        final StringBuilder s = new StringBuilder();
        byOutcome.forEach((k, v) -> s.append(' ').append(k).append('=').append(v));
        return s.toString();
    }

    /** Notes when the main consumer first returned records; called per poll, not per record. */
    public static final class FirstPoll implements ConsumerInterceptor<byte[], byte[]> {
        static volatile long firstNanos;

        @Override
        public ConsumerRecords<byte[], byte[]> onConsume(final ConsumerRecords<byte[], byte[]> records) {
            if (firstNanos == 0 && !records.isEmpty()) {
                firstNanos = System.nanoTime();
            }
            return records;
        }

        @Override
        public void onCommit(final Map<TopicPartition, OffsetAndMetadata> offsets) {}

        @Override
        public void close() {}

        @Override
        public void configure(final Map<String, ?> configs) {}
    }
}
