package io.incidentstream.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.incidentstream.codec.Json;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retry topic's writer: acks=all and idempotent, so "stored" means on every in-sync replica.
 * A write that fails even after the producer's own retries leaves its source record uncommitted:
 * it is delivered again after a restart rather than lost.
 */
final class KafkaRetryQueue implements RetryQueue, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaRetryQueue.class);

    private final String topic;
    private final KafkaProducer<String, byte[]> producer;

    KafkaRetryQueue(final Map<String, Object> kafka, final String topic) {
        this.topic = topic;
        final Map<String, Object> p = new HashMap<>(kafka);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "incident-stream-webhook-retries");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void schedule(final Delivery delivery, final Runnable stored) {
        final byte[] value;
        try {
            value = Json.mapper().writeValueAsBytes(delivery);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a delivery", e);
        }
        final var unused =
                producer.send(new ProducerRecord<>(topic, delivery.subscriptionKey(), value), (metadata, error) -> {
                    if (error == null) {
                        stored.run();
                    } else {
                        LOG.error(
                                "Could not put delivery {} on {} ({}); it is sent again after a restart",
                                delivery.deliveryId(),
                                topic,
                                error.toString());
                    }
                });
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
