package io.incidentstream.kafka;

import io.incidentstream.query.RuleSink;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Produces grouping rules (and tombstones) to {@code grouping-rules}, keyed {@code tenantId/ruleId}. */
public final class KafkaRuleSink implements RuleSink, AutoCloseable {
    private final AcknowledgedProducer producer;
    private final String topic;

    public KafkaRuleSink(final KafkaConnection connection, final String topic, final Duration timeout) {
        this.producer = new AcknowledgedProducer(connection, timeout, "incident-stream-rules", 0);
        this.topic = topic;
    }

    @Override
    public void send(final String key, final byte[] value) {
        producer.sendAll(List.of(new ProducerRecord<>(topic, key, value)), "the rule", "retry the same request");
    }

    @Override
    public void close() {
        producer.close();
    }
}
