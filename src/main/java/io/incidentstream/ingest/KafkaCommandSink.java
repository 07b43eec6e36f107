package io.incidentstream.ingest;

import io.incidentstream.errors.UnavailableException;
import io.incidentstream.model.IncidentCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces commands to an explicit partition: the one whose task owns the incident (the id names
 * it), so the command is applied by the same single writer as that incident's alerts.
 */
public final class KafkaCommandSink implements CommandSink, AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final Duration timeout;

    public KafkaCommandSink(final String bootstrapServers, final String topic, final Duration timeout) {
        this.topic = topic;
        this.timeout = timeout;
        final int timeoutMs = (int) timeout.toMillis();
        this.producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
            ProducerConfig.LINGER_MS_CONFIG, 0,
            ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 30_000),
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs + 2,
            ProducerConfig.CLIENT_ID_CONFIG, "incident-stream-commands"),
            new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void send(final int partition, final IncidentCommand command) {
        final String key = command.incidentId() != null ? command.incidentId() : command.commandId();
        try {
            producer.send(new ProducerRecord<>(topic, partition, key, Json.mapper().writeValueAsBytes(command)))
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw unavailable(e instanceof ExecutionException && e.getCause() != null ? (Exception) e.getCause() : e);
        }
    }

    private UnavailableException unavailable(final Exception cause) {
        return new UnavailableException("the broker did not acknowledge the change within " + timeout.toMillis() + " ms ("
            + cause.getClass().getSimpleName() + "); retry with the same Idempotency-Key", Duration.ofSeconds(5), cause);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
