package io.incidentstream.notify;

import io.incidentstream.codec.Json;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code webhook-retries} in its own consumer group. A record not yet due stops its partition
 * there: the consumer seeks back to it and pauses the partition until it is due. Records of a
 * partition are mostly in due order (one subscription's retries share a partition), so a later one
 * waits at most as long as the one ahead of it. A due record goes back to its subscription's queue;
 * its offset is committed once that attempt has ended or the next retry is on the topic.
 */
final class RetryConsumer extends DeliveryConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(RetryConsumer.class);

    private final Deliverer deliverer;
    private final Clock clock;
    private final Map<TopicPartition, Instant> pausedUntil = new HashMap<>();
    /** Partitions stopped at a record not yet due, within the current poll's batch. */
    private final Set<TopicPartition> held = new HashSet<>();

    RetryConsumer(
            final KafkaConsumer<String, byte[]> consumer,
            final String topic,
            final Deliverer deliverer,
            final Clock clock) {
        super(consumer, topic, "webhook-retries");
        this.deliverer = deliverer;
        this.clock = clock;
    }

    @Override
    void beforePoll() {
        held.clear();
        final Instant now = clock.instant();
        final List<TopicPartition> due = new ArrayList<>();
        pausedUntil.forEach((tp, at) -> {
            if (!at.isAfter(now)) {
                due.add(tp);
            }
        });
        if (!due.isEmpty()) {
            due.forEach(pausedUntil::remove);
            consumer.resume(due);
        }
    }

    @Override
    void handle(final ConsumerRecord<String, byte[]> r) {
        final TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        if (held.contains(tp)) {
            return; // the partition waits at an earlier record; this one is read again after it
        }
        final Delivery d = read(r);
        if (d == null) {
            tracker.add(tp, r.offset(), 0);
            return;
        }
        if (d.dueAt() != null && d.dueAt().isAfter(clock.instant())) {
            held.add(tp);
            consumer.seek(tp, r.offset());
            consumer.pause(List.of(tp));
            pausedUntil.put(tp, d.dueAt());
            return;
        }
        tracker.add(tp, r.offset(), 1);
        deliverer.submit(d, () -> tracker.done(tp, r.offset()));
    }

    @Override
    void revoked(final Collection<TopicPartition> partitions) {
        partitions.forEach(pausedUntil::remove);
    }

    private static Delivery read(final ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return null;
        }
        try {
            return Json.mapper().readValue(r.value(), Delivery.class);
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "Skipping unreadable webhook-retries record {}@{}: {}",
                    r.partition(),
                    r.offset(),
                    e.getClass().getSimpleName());
            return null;
        }
    }
}
