package io.incidentstream.notify;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer-group member that hands records to the deliverer and commits, per partition, only up
 * to the first record whose deliveries are not all finished ({@link OffsetTracker}). The group
 * spreads partitions over the instances, so each record is delivered by one instance; a partition
 * that moves is read again by its new owner from the last commit (at least once).
 */
abstract class DeliveryConsumer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryConsumer.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    protected final KafkaConsumer<String, byte[]> consumer;
    protected final OffsetTracker tracker = new OffsetTracker();
    private final String topic;
    private final Thread thread;
    private volatile boolean running = true;

    DeliveryConsumer(final KafkaConsumer<String, byte[]> consumer, final String topic, final String threadName) {
        this.consumer = consumer;
        this.topic = topic;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    final void start() {
        thread.start();
    }

    /** Hands one record on; calls {@code tracker.add} with the number of deliveries it made. */
    abstract void handle(ConsumerRecord<String, byte[]> record);

    /** Called each round before polling (the retry consumer resumes partitions whose head is due). */
    void beforePoll() {}

    private void run() {
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(final Collection<TopicPartition> partitions) {
                commit();
                tracker.forget(partitions);
                revoked(partitions);
            }

            @Override
            public void onPartitionsAssigned(final Collection<TopicPartition> partitions) {
                assigned(partitions);
            }

            @Override
            public void onPartitionsLost(final Collection<TopicPartition> partitions) {
                tracker.forget(partitions);
                revoked(partitions);
            }
        });
        try {
            while (running) {
                beforePoll();
                final ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                for (ConsumerRecord<String, byte[]> r : records) {
                    handle(r);
                }
                commit();
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("Webhook consumer of {} woken unexpectedly", topic, e);
            }
        } catch (RuntimeException e) {
            LOG.error("Webhook consumer of {} stopped: no more deliveries from it on this instance", topic, e);
        } finally {
            try {
                commit();
            } catch (RuntimeException e) {
                LOG.warn("Final commit on {} failed: {}", topic, e.toString());
            }
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        }
    }

    /** Partitions this instance now owns, before any of their records is handed on. */
    void assigned(final Collection<TopicPartition> partitions) {}

    /** Partitions this instance no longer owns. */
    void revoked(final Collection<TopicPartition> partitions) {}

    private void commit() {
        final Map<TopicPartition, OffsetAndMetadata> offsets = tracker.toCommit();
        if (!offsets.isEmpty()) {
            try {
                consumer.commitSync(offsets);
            } catch (WakeupException e) {
                throw e;
            } catch (KafkaException e) {
                LOG.warn("Commit on {} failed ({}); those records may be delivered again", topic, e.toString());
            }
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(CLOSE_TIMEOUT.toMillis() * 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
