package io.incidentstream.notify;

import io.incidentstream.codec.Json;
import io.incidentstream.model.IncidentEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code incident-events} (read_committed: only transitions the topology committed, never one
 * of an aborted transaction) in its own consumer group, and makes one delivery per matching
 * subscription of the incident's tenant. Runs beside the topology, never inside it: a slow receiver
 * cannot hold up the fold.
 */
final class EventConsumer extends DeliveryConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(EventConsumer.class);

    /** Instances' clocks may differ this much: a transition this much older than a subscription still reaches it. */
    static final java.time.Duration CLOCK_SKEW = java.time.Duration.ofSeconds(1);

    private final SubscriptionStore subscriptions;
    private final Deliverer deliverer;

    EventConsumer(
            final KafkaConsumer<String, byte[]> consumer,
            final String topic,
            final SubscriptionStore subscriptions,
            final Deliverer deliverer) {
        super(consumer, topic, "webhook-events");
        this.subscriptions = subscriptions;
        this.deliverer = deliverer;
    }

    @Override
    void handle(final ConsumerRecord<String, byte[]> r) {
        final TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        final List<Delivery> deliveries = deliveries(r);
        tracker.add(tp, r.offset(), deliveries.size());
        for (Delivery d : deliveries) {
            deliverer.submit(d, () -> tracker.done(tp, r.offset()));
        }
    }

    private List<Delivery> deliveries(final ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return List.of();
        }
        final IncidentEvent event;
        try {
            event = Json.mapper().readValue(r.value(), IncidentEvent.class);
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "Skipping unreadable incident-events record {}@{}: {}",
                    r.partition(),
                    r.offset(),
                    e.getClass().getSimpleName());
            return List.of();
        }
        final String type = EventTypes.of(event);
        if (type == null || event.incident() == null) {
            return List.of();
        }
        final String webhookId = String.format("%s:%s:%012d", event.incidentId(), type, r.offset());
        final List<Delivery> out = new ArrayList<>();
        for (WebhookSubscription s : subscriptions.list(event.tenantId())) {
            if (s.enabled()
                    && r.timestamp() >= s.createdAt().toEpochMilli() - CLOCK_SKEW.toMillis()
                    && s.events().contains(type)
                    && s.filter().matches(event.incident())) {
                out.add(new Delivery(
                        deliveryId(webhookId, s.id()),
                        webhookId,
                        s.tenantId(),
                        s.id(),
                        type,
                        event.at(),
                        event.incident(),
                        0,
                        null,
                        null,
                        Instant.ofEpochMilli(r.timestamp())));
            }
        }
        return out;
    }

    /** A short id, the same for the same transition and subscription wherever it is computed. */
    static String deliveryId(final String webhookId, final String subscriptionId) {
        try {
            final byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((subscriptionId + "\n" + webhookId).getBytes(StandardCharsets.UTF_8));
            return "dlv_" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
