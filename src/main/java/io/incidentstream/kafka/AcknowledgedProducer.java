package io.incidentstream.kafka;

import io.incidentstream.errors.UnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The producer behind every HTTP write to Kafka: idempotent with {@code acks=all}, so "sent"
 * means the broker has it, and bounded by one timeout end to end ({@code max.block.ms} for a
 * missing broker, delivery timeout for a slow one, and the wait here), so a request never hangs:
 * it succeeds, or it is a 503 the caller can retry.
 */
final class AcknowledgedProducer implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final Duration timeout;

    AcknowledgedProducer(
            final KafkaConnection connection, final Duration timeout, final String clientId, final int lingerMs) {
        this.timeout = timeout;
        final int timeoutMs = (int) timeout.toMillis();
        final Map<String, Object> properties = connection.properties();
        properties.putAll(Map.of(
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.LINGER_MS_CONFIG,
                lingerMs,
                ProducerConfig.COMPRESSION_TYPE_CONFIG,
                "lz4",
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                timeoutMs,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                Math.min(timeoutMs, 30_000),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                timeoutMs + 2,
                ProducerConfig.CLIENT_ID_CONFIG,
                clientId));
        this.producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Sends every record and waits until the broker acknowledged all of them.
     *
     * @param what   what is being written, for the error message ("the alerts")
     * @param advice what the caller should do on failure ("retry")
     * @throws UnavailableException when not all were acknowledged in time
     */
    void sendAll(final List<ProducerRecord<String, byte[]>> records, final String what, final String advice) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        try {
            for (ProducerRecord<String, byte[]> record : records) {
                acks.add(producer.send(record));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(what, advice, e);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw unavailable(what, advice, e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e);
        }
    }

    private UnavailableException unavailable(final String what, final String advice, final Throwable cause) {
        return new UnavailableException(
                "the broker did not acknowledge " + what + " within " + timeout.toMillis() + " ms ("
                        + cause.getClass().getSimpleName() + "); " + advice,
                Duration.ofSeconds(5),
                cause);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
