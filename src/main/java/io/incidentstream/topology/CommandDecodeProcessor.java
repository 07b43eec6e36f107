package io.incidentstream.topology;

import com.fasterxml.jackson.core.JacksonException;
import io.incidentstream.codec.Json;
import io.incidentstream.metrics.IncidentMetrics;
import io.incidentstream.model.IncidentCommand;
import java.io.IOException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Decodes {@code incident-commands}. The API writes them, but the topic is open to any producer:
 * a record that is not a valid command becomes a dead letter (same DLQ and headers as alerts,
 * {@code dlq.source.topic} tells them apart) instead of stopping the stream thread.
 */
final class CommandDecodeProcessor implements Processor<byte[], byte[], String, Decoded> {
    static final String REASON = "bad-command";

    private final IncidentMetrics metrics;
    private ProcessorContext<String, Decoded> context;

    CommandDecodeProcessor(final IncidentMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(final ProcessorContext<String, Decoded> context) {
        this.context = context;
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
        final IncidentCommand command;
        try {
            command = record.value() == null ? null : Json.mapper().readValue(record.value(), IncidentCommand.class);
        } catch (JacksonException e) {
            deadLetter(record, "not a valid incident command: " + e.getOriginalMessage());
            return;
        } catch (IOException | RuntimeException e) {
            deadLetter(record, "not a valid incident command: " + e);
            return;
        }
        if (command == null) {
            deadLetter(record, "empty record value");
            return;
        }
        final String key = command.incidentId() != null ? command.incidentId() : command.commandId();
        context.forward(new Record<>(key, Decoded.ok(command), record.timestamp()));
    }

    private void deadLetter(final Record<byte[], byte[]> record, final String message) {
        metrics.commandDeadLetter();
        context.forward(new Record<>(
                (String) null,
                Decoded.deadLetter(record.key(), record.value()),
                record.timestamp(),
                DeadLetters.headers(context, record, REASON, message)));
    }
}
