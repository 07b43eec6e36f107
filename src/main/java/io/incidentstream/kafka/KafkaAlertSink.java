package io.incidentstream.kafka;

import io.incidentstream.codec.Json;
import io.incidentstream.ingest.AlertSink;
import io.incidentstream.ingest.EncodedAlert;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Produces accepted alerts to {@code alerts}, keyed {@code tenantId/alertId} so each alert's events
 * stay in order on one partition. An HTTP 202 means the broker has them all; a missing broker is a
 * 503 within {@code PRODUCE_TIMEOUT} however many alerts a request holds, never a hanging request
 * (see {@link AcknowledgedProducer}).
 */
public final class KafkaAlertSink implements AlertSink, AutoCloseable {
    private final AcknowledgedProducer producer;
    private final String topic;

    public KafkaAlertSink(final KafkaConnection connection, final String topic, final Duration timeout) {
        // Uncompressed: alerts are small and the CPU is what ingest runs out of first. Compression
        // costs the request thread (lz4 per batch), the broker (which decompresses to validate every
        // batch) and the fold (which decompresses every record again).
        this.producer = new AcknowledgedProducer(connection, timeout, "incident-stream-ingest", 2, "none");
        this.topic = topic;
    }

    @Override
    public void publishEncoded(final List<EncodedAlert> alerts) {
        final List<ProducerRecord<String, byte[]>> records = new ArrayList<>(alerts.size());
        for (EncodedAlert alert : alerts) {
            records.add(new ProducerRecord<>(topic, alert.event().key().asString(), alert.json()));
        }
        producer.sendAll(
                records,
                "the alerts",
                "they may or may not be stored; retry the request: a repeated alert is folded into the same "
                        + "incident, never a second one");
    }

    static byte[] json(final Object value) {
        try {
            return Json.mapper().writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
