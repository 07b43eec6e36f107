package io.incidentstream.kafka;

import io.incidentstream.model.IncidentCommand;
import io.incidentstream.query.CommandSink;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Produces commands to an explicit partition: the one whose task owns the incident (the id names
 * it), so the command is applied by the same single writer as that incident's alerts.
 */
public final class KafkaCommandSink implements CommandSink, AutoCloseable {
    private final AcknowledgedProducer producer;
    private final String topic;

    public KafkaCommandSink(final KafkaConnection connection, final String topic, final Duration timeout) {
        this.producer = new AcknowledgedProducer(connection, timeout, "incident-stream-commands", 0);
        this.topic = topic;
    }

    @Override
    public void send(final int partition, final IncidentCommand command) {
        final String key = command.incidentId() != null ? command.incidentId() : command.commandId();
        producer.sendAll(
                List.of(new ProducerRecord<>(topic, partition, key, KafkaAlertSink.json(command))),
                "the change",
                "it may or may not be applied; retry with the same Idempotency-Key to have it applied at most once");
    }

    @Override
    public void close() {
        producer.close();
    }
}
