package io.incidentstream.notify;

import io.incidentstream.codec.Json;
import io.incidentstream.errors.UnavailableException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscriptions on the compacted topic {@code webhook-subscriptions} (key {@code tenant/id}, a
 * tombstone deletes), read whole by every instance: one consumer assigned every partition, no
 * group, from the beginning, into an in-memory view. {@link #start} returns once the view has
 * caught up with the end of the topic as it was, so an instance never delivers from a partial view.
 * A write answers once the broker has it (acks=all) and is in this instance's view at once; the
 * other instances see it within a poll.
 */
public final class KafkaSubscriptions extends InMemorySubscriptions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSubscriptions.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final String topic;
    private final Duration writeTimeout;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    private KafkaSubscriptions(final Map<String, Object> kafka, final String topic, final Duration writeTimeout) {
        this.topic = topic;
        this.writeTimeout = writeTimeout;
        final Map<String, Object> p = new HashMap<>(kafka);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "incident-stream-webhook-subscriptions");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        final Map<String, Object> c = new HashMap<>(kafka);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "incident-stream-webhook-subscriptions-reader");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "webhook-subscriptions-reader");
        this.thread.setDaemon(true);
    }

    /** Reads the topic to its end, then keeps following it on a thread of its own. */
    public static KafkaSubscriptions start(
            final Map<String, Object> kafka, final String topic, final Duration writeTimeout, final Duration timeout) {
        final KafkaSubscriptions store = new KafkaSubscriptions(kafka, topic, writeTimeout);
        try {
            store.catchUp(timeout);
        } catch (RuntimeException e) {
            store.consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
            store.producer.close(CLOSE_TIMEOUT);
            throw e;
        }
        store.thread.start();
        return store;
    }

    private void catchUp(final Duration timeout) {
        final List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo p : consumer.partitionsFor(topic, timeout)) {
            partitions.add(new TopicPartition(topic, p.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        final Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey(), timeout) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read topic " + topic + " within " + timeout);
            }
            consumer.poll(POLL).forEach(this::applyRecord);
        }
        LOG.info("Webhook subscriptions read from {}", topic);
    }

    private void run() {
        try {
            while (running) {
                consumer.poll(POLL).forEach(this::applyRecord);
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("Webhook subscription reader woken unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("Webhook subscription reader stopped: changes made on other instances are not seen here", e);
        } finally {
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        }
    }

    private void applyRecord(final ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            apply(r.key(), null);
            return;
        }
        try {
            apply(r.key(), Json.mapper().readValue(r.value(), WebhookSubscription.class));
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "Skipping unreadable subscription record {}-{}@{}: {}",
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    e.getClass().getSimpleName());
        }
    }

    @Override
    public void put(final WebhookSubscription subscription) {
        try {
            send(subscription.key(), Json.mapper().writeValueAsBytes(subscription));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a subscription", e);
        }
        super.put(subscription);
    }

    @Override
    public void delete(final String tenant, final String id) {
        send(WebhookSubscription.key(tenant, id), null);
        super.delete(tenant, id);
    }

    private void send(final String key, final byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while storing", Duration.ofSeconds(1));
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Could not store webhook subscription {}: {}", key, e.toString());
            throw new UnavailableException(
                    "the subscription could not be stored (Kafka did not acknowledge it); retry",
                    Duration.ofSeconds(1));
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(CLOSE_TIMEOUT);
    }
}
