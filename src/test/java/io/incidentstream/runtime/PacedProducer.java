package io.incidentstream.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces a fixed list of records straight to Kafka at a steady pace, {@code perTick} records every
 * {@link #TICK_MILLIS} ms, with an idempotent, {@code acks=all} producer: per partition the broker
 * keeps the order they were sent in, with no duplicates from retries, whatever happens to the
 * application meanwhile. With {@code flushEachTick} every tick is its own small produce request.
 */
final class PacedProducer implements AutoCloseable {
    static final long TICK_MILLIS = 10;

    private final KafkaProducer<String, byte[]> producer;
    private final ScheduledExecutorService pacer =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "paced-producer"));
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    /** Completes when every record was sent and flushed, or exceptionally when a tick failed. */
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    /** The periodic task: it ends itself once done, and close() cancels it if it has not. */
    private ScheduledFuture<?> ticking;

    private PacedProducer(final String bootstrapServers, final boolean smallRequests) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                smallRequests ? 0 : 5,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                4 << 20,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class));
    }

    static PacedProducer start(
            final String bootstrapServers,
            final List<ProducerRecord<String, byte[]>> records,
            final int perTick,
            final boolean flushEachTick) {
        final PacedProducer p = new PacedProducer(bootstrapServers, flushEachTick);
        p.ticking = p.pacer.scheduleAtFixedRate(
                () -> p.tick(records, perTick, flushEachTick), 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
        return p;
    }

    private void tick(final List<ProducerRecord<String, byte[]>> records, final int perTick, final boolean flush) {
        try {
            final int from = sent.get();
            final int to = Math.min(records.size(), from + perTick);
            for (int i = from; i < to; i++) {
                send(records.get(i));
            }
            if (flush) {
                producer.flush();
            }
            sent.set(to);
            if (to == records.size()) {
                producer.flush();
                done.complete(null);
            }
        } catch (RuntimeException e) {
            // the periodic task would end with it unseen: awaitAllAcknowledged() fails with it instead
            done.completeExceptionally(e);
        }
        if (done.isDone()) {
            throw new IllegalStateException("done"); // cancels the periodic task
        }
    }

    // the callback records a failed send, which awaitAllAcknowledged() reports after the final flush()
    @SuppressWarnings("FutureReturnValueIgnored")
    private void send(final ProducerRecord<String, byte[]> record) {
        producer.send(record, (metadata, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        });
    }

    int sent() {
        return sent.get();
    }

    /** Waits until every record is acknowledged by the broker; fails if any was not. */
    void awaitAllAcknowledged() throws Exception {
        done.get(5, TimeUnit.MINUTES);
        assertTrue(failure.get() == null, () -> "a record was not acknowledged: " + failure.get());
    }

    @Override
    public void close() {
        ticking.cancel(false);
        pacer.shutdownNow();
        producer.close();
    }
}
