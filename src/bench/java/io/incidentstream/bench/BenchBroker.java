package io.incidentstream.bench;

import io.incidentstream.config.Config;
import io.incidentstream.runtime.EmbeddedKafka;
import io.incidentstream.runtime.TopicSetup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The real broker of a scenario: {@link EmbeddedKafka} (the application's own single-node KRaft
 * broker) in the harness JVM, on a free port and a fresh log directory, with the admin calls and
 * the bulk producer the scenarios need. Each scenario gets its own broker because the topology's
 * topic names are fixed ({@code alerts}, {@code incidents}, ...).
 */
final class BenchBroker implements AutoCloseable {
    private final EmbeddedKafka kafka;
    private final Admin admin;

    private BenchBroker(final EmbeddedKafka kafka) {
        this.kafka = kafka;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    static BenchBroker start(final Path logDir, final int partitions) {
        return new BenchBroker(EmbeddedKafka.start(logDir, 0, partitions));
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** The application's topics as it creates them itself (TOPIC_PARTITIONS of {@code config}), served. */
    int createAppTopics(final Config config) throws InterruptedException {
        return TopicSetup.ensure(admin, config, Duration.ofSeconds(60));
    }

    /** One more topic, waited for until every partition answers ListOffsets. */
    void createTopic(final String name, final int partitions) throws InterruptedException, ExecutionException {
        admin.createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty())))
                .all()
                .get();
        final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(name, p), OffsetSpec.latest());
        }
        while (true) {
            try {
                admin.listOffsets(request).all().get();
                return;
            } catch (ExecutionException e) {
                Thread.sleep(100);
            }
        }
    }

    /**
     * Produces {@code count} records as a well-behaved producer would: key {@code tenantId/alertId},
     * the default partitioner, idempotent, acks=all, lz4 (what the application's own HTTP ingest does).
     */
    void produce(final String topic, final long count, final LongFunction<AlertSet.Event> events) {
        final Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.LINGER_MS_CONFIG,
                10,
                ProducerConfig.BATCH_SIZE_CONFIG,
                256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG,
                "lz4",
                ProducerConfig.CLIENT_ID_CONFIG,
                "bench-producer");
        final AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < count && failure.get() == null; i++) {
                final AlertSet.Event e = events.apply(i);
                send(
                        producer,
                        new ProducerRecord<>(topic, e.key(), e.nativeJson().getBytes(StandardCharsets.UTF_8)),
                        failure);
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("producing to " + topic + " failed", failure.get());
        }
    }

    // the callback records the first failed send, which produce() stops on and throws after flush()
    @SuppressWarnings("FutureReturnValueIgnored")
    private static void send(
            final KafkaProducer<byte[], byte[]> producer,
            final ProducerRecord<byte[], byte[]> record,
            final AtomicReference<Exception> failure) {
        producer.send(record, (m, ex) -> {
            if (ex != null) {
                failure.compareAndSet(null, ex);
            }
        });
    }

    /** Sum of the latest offsets of a topic's partitions: how many records it holds. */
    long endOffsets(final String topic) throws InterruptedException, ExecutionException {
        final int partitions = admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get()
                .get(topic)
                .partitions()
                .size();
        final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return admin.listOffsets(request).all().get().values().stream()
                .mapToLong(o -> o.offset())
                .sum();
    }

    /** Sum of a consumer group's committed offsets on one topic (0 before its first commit). */
    static long committed(final Admin admin, final String group, final String topic)
            throws InterruptedException, ExecutionException {
        final Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get();
        return offsets.entrySet().stream()
                .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset())
                .sum();
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        kafka.close();
    }
}
