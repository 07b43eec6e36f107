package io.incidentstream.runtime;

import io.incidentstream.config.Config;
import io.incidentstream.kafka.KafkaConnection;
import io.incidentstream.metrics.IncidentMetrics;
import io.incidentstream.store.BoundedRocksDbMemory;
import io.incidentstream.topology.ErrorHandling;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the Kafka Streams lifecycle: configuration, state listener, uncaught-exception policy, and
 * a bounded close. {@link ServiceHealth} judges liveness and readiness from {@link #state()}.
 */
public final class StreamsRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamsRunner.class);

    /**
     * A stream thread failed by a broker outage is replaced at most this often; the producer waits
     * {@code max.block.ms} (60 s) before such a failure surfaces.
     */
    private static final Duration THREAD_REPLACEMENT_SPACING = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final Duration closeTimeout;
    private final boolean leaveGroupOnClose;

    public StreamsRunner(final Topology topology, final Config config, final KafkaConnection connection) {
        this(topology, config, connection, null);
    }

    /** @param metrics where the exception handlers count the records they dead-letter (null: nowhere) */
    public StreamsRunner(
            final Topology topology,
            final Config config,
            final KafkaConnection connection,
            final IncidentMetrics metrics) {
        final Properties properties = properties(config, connection);
        if (metrics != null) {
            properties.put(ErrorHandling.METRICS_CONFIG, metrics);
        }
        this.streams = new KafkaStreams(topology, properties);
        this.closeTimeout = config.shutdownTimeout();
        this.leaveGroupOnClose = config.leaveGroupOnClose();
        streams.setStateListener((now, before) -> LOG.info("Kafka Streams {} -> {}", before, now));
        streams.setUncaughtExceptionHandler(new StreamThreadFailures(
                THREAD_REPLACEMENT_SPACING,
                System::nanoTime,
                metrics == null ? () -> {} : metrics::streamThreadReplaced));
    }

    /** The Kafka Streams properties the application runs with (the benchmark's store scenarios use them too). */
    public static Properties properties(final Config config, final KafkaConnection connection) {
        // The common client settings first (security for every inner client), then ours, then the
        // operator's KAFKA_STREAMS_* overrides.
        final Properties p = connection.asProperties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee());
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.numStandbyReplicas());
        p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, config.applicationServer());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.topicReplicationFactor());
        p.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.NO_OPTIMIZATION);
        // Static membership: the group keeps this member's assignment while it restarts (up to the session
        // timeout), so a rolling restart moves no task and restores nothing; Kafka Streams appends each stream
        // thread's index to the id.
        config.instanceId()
                .ifPresent(id -> p.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), id));
        handleGlobalProcessingErrors(p);
        p.putAll(ErrorHandling.settings());
        // Process whatever input is buffered, never idle waiting on the other input topics (re-keyed
        // alerts, commands): nothing here depends on merging them in timestamp order (Lifecycle orders by
        // checkedAt), and Kafka Streams 4.3 formats log strings eagerly on every idle check, about 6% of the
        // stream thread's time with three input topics.
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        // Bigger batches: the default batching costs about a third of passthrough throughput here.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 128 * 1024);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 10);
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
        p.put(BoundedRocksDbMemory.MEMORY_BYTES_CONFIG, Long.toString(config.rocksdbMemory()));
        p.putAll(config.streamsOverrides());
        return p;
    }

    public void start() {
        streams.start();
    }

    /** For the query side's store access; HTTP never sees it. */
    public KafkaStreams streams() {
        return streams;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public void close() {
        // A dynamic member leaves on a clean close: otherwise its partitions wait out its session
        // timeout (45 s) before they are assigned again, since a restart joins as a new member. A static
        // member stays by default: the restarted instance takes its own assignment back without a
        // rebalance, and its partitions are read from standbys meanwhile (MAX_READ_STALENESS).
        final CloseOptions.GroupMembershipOperation membership = leaveGroupOnClose
                ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
                : CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP;
        LOG.info("Closing Kafka Streams ({})", leaveGroupOnClose ? "leaving the group" : "staying in the group");
        if (!streams.close(CloseOptions.timeout(closeTimeout).withGroupMembershipOperation(membership))) {
            LOG.warn("Kafka Streams did not close within {}", closeTimeout);
        }
    }

    /**
     * Lets the processing exception handler answer for the global store's processors too. The setting
     * is deprecated since Kafka Streams 4.3 only because 5.0 removes it and does this by default.
     */
    @SuppressWarnings("deprecation")
    private static void handleGlobalProcessingErrors(final Properties p) {
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    }
}
