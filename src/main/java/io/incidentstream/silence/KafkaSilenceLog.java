package io.incidentstream.silence;

import io.incidentstream.codec.Json;
import io.incidentstream.errors.UnavailableException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
import org.apache.kafka.clients.producer.RecordMetadata;
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
 * The silences on their compacted topic (key {@code tenant/id}, value the silence as JSON, a tombstone
 * deletes), and this instance's {@link SilenceView} of them.
 *
 * <p><b>Reading.</b> One consumer per instance, without a group, assigned every partition from the
 * beginning: each instance holds every tenant's silences, so the incidents it serves are decorated without
 * asking a peer. {@link #start} returns once it has read up to the end the topic had at start, so the
 * first answers already know every silence.
 *
 * <p><b>Writing.</b> A write is acknowledged by every in-sync replica ({@code acks=all}, idempotent), and
 * {@link #put} returns only once this instance's reader has passed its offset: the writer's next read, on
 * this instance, sees it. Another instance sees it once its own reader gets there (milliseconds).
 *
 * <p><b>Retention.</b> Every {@code sweepEvery}, each instance writes a tombstone for every silence expired
 * for longer than {@code retention}; two instances doing so for the same one write the same tombstone.
 */
public final class KafkaSilenceLog implements SilenceLog, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSilenceLog.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private final String topic;
    private final SilenceView view;
    private final Duration timeout;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final Thread reader;
    private final List<TopicPartition> partitions;
    /** Next offset to read, per partition; guarded by this. */
    private final long[] positions;

    private volatile boolean running = true;

    private KafkaSilenceLog(
            final Map<String, Object> kafka, final String topic, final SilenceView view, final Duration timeout) {
        this.topic = topic;
        this.view = view;
        this.timeout = timeout;
        final Map<String, Object> c = new HashMap<>(kafka);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "incident-stream-silences");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        final Map<String, Object> p = new HashMap<>(kafka);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "incident-stream-silences");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        // delivery.timeout.ms must cover linger.ms + request.timeout.ms, or the producer refuses to start
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1, Math.min(timeout.toMillis() / 2, 30_000)));
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        final List<TopicPartition> tps = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic, timeout)) {
            tps.add(new TopicPartition(topic, info.partition()));
        }
        this.partitions = List.copyOf(tps);
        this.positions = new long[tps.size()];
        this.reader = new Thread(this::run, "silences-reader");
        this.reader.setDaemon(true);
    }

    /**
     * Reads the topic from its beginning up to its current end, then keeps reading in the background.
     *
     * @param kafka   the common client settings and bootstrap servers
     * @param timeout how long start-up and each write may wait for the broker
     */
    public static KafkaSilenceLog start(
            final Map<String, Object> kafka, final String topic, final SilenceView view, final Duration timeout)
            throws InterruptedException {
        final KafkaSilenceLog log = new KafkaSilenceLog(kafka, topic, view, timeout);
        try {
            log.consumer.assign(log.partitions);
            log.consumer.seekToBeginning(log.partitions);
            final Map<TopicPartition, Long> ends = log.consumer.endOffsets(log.partitions, timeout);
            log.reader.start();
            for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
                log.await(e.getKey().partition(), e.getValue(), System.nanoTime() + timeout.toNanos());
            }
            LOG.info("Silences read from {}: {} held", topic, view.size());
            return log;
        } catch (RuntimeException | InterruptedException e) {
            log.close();
            throw e;
        }
    }

    @Override
    public void put(final Silence silence) {
        final byte[] value;
        try {
            value = Json.mapper().writeValueAsBytes(silence);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode silence " + silence.id(), e);
        }
        send(silence.key(), value);
    }

    @Override
    public void delete(final String tenant, final String id) {
        send(Silence.key(tenant, id), null);
    }

    /** Writes tombstones for silences expired before {@code now - retention}; returns how many. */
    public int sweep(final Instant now, final Duration retention) {
        int deleted = 0;
        for (Silence s : view.all()) {
            if (!s.endsAt().isAfter(now.minus(retention))) {
                delete(s.tenantId(), s.id());
                deleted++;
            }
        }
        if (deleted > 0) {
            LOG.info("Deleted {} silences expired for longer than {}", deleted, retention);
        }
        return deleted;
    }

    /** {@link #sweep} with the clock's time, for a scheduler; a failure is logged, the next run tries again. */
    public void sweepQuietly(final Clock clock, final Duration retention) {
        try {
            sweep(clock.instant(), retention);
        } catch (RuntimeException e) {
            LOG.warn("Silence retention sweep failed; retrying at the next run", e);
        }
    }

    private void send(final String key, final byte[] value) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        try {
            final RecordMetadata md = producer.send(new ProducerRecord<>(topic, key, value))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            await(md.partition(), md.offset() + 1, deadline);
        } catch (ExecutionException | TimeoutException e) {
            throw new UnavailableException("the silences topic did not take the write in time; retry", RETRY_AFTER, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while writing a silence", RETRY_AFTER, e);
        }
    }

    /** Waits until the reader has read {@code partition} up to {@code offset} (exclusive). */
    private synchronized void await(final int partition, final long offset, final long deadline)
            throws InterruptedException {
        while (positions[partition] < offset) {
            final long left = deadline - System.nanoTime();
            if (left <= 0 || !running) {
                throw new UnavailableException(
                        "silences not read back in time (partition " + partition + "); retry", RETRY_AFTER);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    private synchronized void advance(final long[] next) {
        for (int p = 0; p < next.length; p++) {
            positions[p] = Math.max(positions[p], next[p]);
        }
        notifyAll();
    }

    private void run() {
        final long[] next = new long[positions.length];
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    apply(r);
                }
                for (TopicPartition tp : partitions) {
                    next[tp.partition()] = consumer.position(tp, timeout);
                }
                advance(next);
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("Silences reader woken unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("Silences reader stopped: silence changes are no longer seen by this instance", e);
        } finally {
            running = false;
            synchronized (this) {
                notifyAll();
            }
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void apply(final ConsumerRecord<String, byte[]> r) {
        final String key = r.key();
        if (key == null || key.lastIndexOf('/') < 0) {
            LOG.warn("Skipping silence record without a tenant/id key at {}-{}@{}", topic, r.partition(), r.offset());
            return;
        }
        if (r.value() == null) {
            final int slash = key.lastIndexOf('/');
            view.remove(key.substring(0, slash), key.substring(slash + 1));
            return;
        }
        try {
            view.put(Json.mapper().readValue(r.value(), Silence.class));
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "Skipping unreadable silence {} at {}-{}@{}: {}",
                    key,
                    topic,
                    r.partition(),
                    r.offset(),
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        if (reader.getState() == Thread.State.NEW) {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        } else {
            consumer.wakeup();
            try {
                reader.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close(Duration.ofSeconds(5));
    }
}
