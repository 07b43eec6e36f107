package io.incidentstream.ingest;

import io.incidentstream.errors.UnavailableException;
import io.incidentstream.model.AlertEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces accepted alerts to {@code alerts}, keyed {@code tenantId/alertId} so each alert's events
 * stay in order on one partition. Idempotent producer with {@code acks=all}: an HTTP 202 means the
 * broker has them. Bounded waiting: a missing broker turns into 503, never a hanging request.
 */
public final class KafkaAlertSink implements AlertSink, AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final Duration timeout;

    public KafkaAlertSink(final String bootstrapServers, final String topic, final Duration timeout) {
        this.topic = topic;
        this.timeout = timeout;
        final int timeoutMs = (int) timeout.toMillis();
        this.producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
            ProducerConfig.LINGER_MS_CONFIG, 2,
            ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
            ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 30_000),
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs + 2,
            ProducerConfig.CLIENT_ID_CONFIG, "incident-stream-ingest"),
            new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void publish(final List<AlertEvent> events) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        try {
            for (AlertEvent event : events) {
                acks.add(producer.send(new ProducerRecord<>(topic, event.key().asString(), Json.mapper().writeValueAsBytes(event))));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw unavailable(e);
        }
    }

    private UnavailableException unavailable(final Exception e) {
        final Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return new UnavailableException("the broker did not acknowledge the alerts within " + timeout.toMillis()
            + " ms (" + cause.getClass().getSimpleName() + "); nothing is guaranteed stored, retry", Duration.ofSeconds(5), cause);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
