package io.incidentstream.notify;

import io.incidentstream.codec.Json;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code incident-events} (read_committed: only transitions the topology committed, never one
 * of an aborted transaction) in its own consumer group, and makes one delivery per matching
 * subscription of the incident's tenant. Runs beside the topology, never inside it: a slow receiver
 * cannot hold up the fold.
 *
 * <p><b>Silence endings.</b> The member that owns a partition of {@code incident-events} also tells
 * about the incidents whose events go to it (the key's partition) when a silence stops muting them
 * ({@link Unsilenced}): about once a second it looks at the endings since the partition's mark, up to
 * {@link #SILENCE_LAG} ago, and commits the new mark with the offset ({@link OffsetTracker}). One owner
 * per partition makes one notification per incident and ending in the cluster; the committed mark makes
 * a restart or a partition's move look again only at what was not finished (same {@code webhook-id}:
 * incident, {@code unsilenced}, silence, end). The lag lets a silence expired by hand on another
 * instance (its {@code endsAt} set to that instance's now) reach this one's copy of the silences first.
 */
final class EventConsumer extends DeliveryConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(EventConsumer.class);

    /** Instances' clocks may differ this much: a transition this much older than a subscription still reaches it. */
    static final java.time.Duration CLOCK_SKEW = java.time.Duration.ofSeconds(1);

    /** How far behind now the silence endings are looked at. */
    static final Duration SILENCE_LAG = Duration.ofSeconds(2);

    private static final Duration SILENCE_TICK = Duration.ofSeconds(1);
    static final String UNSILENCED = "unsilenced";

    private final String eventsTopic;
    private final SubscriptionStore subscriptions;
    private final Deliverer deliverer;
    private final Unsilenced unsilenced;
    private final Clock clock;
    private long nextLook;
    private int partitions;

    EventConsumer(
            final KafkaConsumer<String, byte[]> consumer,
            final String topic,
            final SubscriptionStore subscriptions,
            final Deliverer deliverer,
            final Unsilenced unsilenced,
            final Clock clock) {
        super(consumer, topic, "webhook-events");
        this.eventsTopic = topic;
        this.subscriptions = subscriptions;
        this.deliverer = deliverer;
        this.unsilenced = unsilenced;
        this.clock = clock;
    }

    /** A new owner starts at the committed mark; without one (a new group), from now on. */
    @Override
    void assigned(final Collection<TopicPartition> assigned) {
        final Map<TopicPartition, OffsetAndMetadata> commits = consumer.committed(Set.copyOf(assigned));
        final long start = clock.millis() - SILENCE_LAG.toMillis();
        for (TopicPartition tp : assigned) {
            final Long mark = OffsetTracker.markOf(commits.get(tp));
            tracker.assigned(tp, consumer.position(tp), mark == null ? start : mark);
        }
    }

    @Override
    void beforePoll() {
        final long now = clock.millis();
        if (now < nextLook) {
            return;
        }
        nextLook = now + SILENCE_TICK.toMillis();
        lookAtSilenceEndings(now - SILENCE_LAG.toMillis());
    }

    /** Notifies the owned partitions' incidents that silences ending up to {@code to} left unmuted. */
    void lookAtSilenceEndings(final long to) {
        long from = Long.MAX_VALUE;
        final List<TopicPartition> owned = new ArrayList<>();
        for (TopicPartition tp : consumer.assignment()) {
            final Long mark = tracker.mark(tp);
            if (mark != null && mark < to) {
                owned.add(tp);
                from = Math.min(from, mark);
            }
        }
        if (owned.isEmpty()) {
            return;
        }
        final List<Unsilenced.Unsilencing> found;
        try {
            found = unsilenced.between(Instant.ofEpochMilli(from), Instant.ofEpochMilli(to));
        } catch (RuntimeException e) {
            LOG.warn("Cannot look at silence endings now ({}); trying again in a moment", e.toString());
            return;
        }
        if (partitions == 0) {
            partitions = consumer.partitionsFor(eventsTopic).size();
        }
        for (TopicPartition tp : owned) {
            final long mark = tracker.mark(tp);
            final List<Delivery> deliveries = new ArrayList<>();
            for (Unsilenced.Unsilencing u : found) {
                final long at = u.endedAt().toEpochMilli();
                if (at > mark && at <= to && partitionOf(u.incident().id(), partitions) == tp.partition()) {
                    deliveries.addAll(unsilencedDeliveries(u));
                }
            }
            tracker.span(tp, to, deliveries.size());
            for (Delivery d : deliveries) {
                deliverer.submit(d, () -> tracker.spanDone(tp, to));
            }
        }
    }

    /** The partition of {@code incident-events} an incident's events go to: Kafka's default for its key. */
    static int partitionOf(final String incidentId, final int partitions) {
        return Utils.toPositive(Utils.murmur2(incidentId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The same for the same incident and ending wherever and however often it is made. */
    static String unsilencedWebhookId(final Unsilenced.Unsilencing u) {
        return String.format(
                "%s:%s:%s:%d",
                u.incident().id(), UNSILENCED, u.silenceId(), u.endedAt().toEpochMilli());
    }

    List<Delivery> unsilencedDeliveries(final Unsilenced.Unsilencing u) {
        return deliveries(
                u.incident(),
                UNSILENCED,
                unsilencedWebhookId(u),
                u.endedAt(),
                u.endedAt().toEpochMilli(),
                u.silenceId());
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
        return deliveries(event.incident(), type, webhookId, event.at(), r.timestamp(), null);
    }

    /** One delivery per enabled subscription of the incident's tenant that wants it and existed at {@code happened}. */
    private List<Delivery> deliveries(
            final Incident incident,
            final String type,
            final String webhookId,
            final Instant at,
            final long happened,
            final String silenceId) {
        final List<Delivery> out = new ArrayList<>();
        for (WebhookSubscription s : subscriptions.list(incident.tenantId())) {
            if (s.enabled()
                    && happened >= s.createdAt().toEpochMilli() - CLOCK_SKEW.toMillis()
                    && EventTypes.wanted(s.events(), type)
                    && s.filter().matches(incident)) {
                out.add(new Delivery(
                        deliveryId(webhookId, s.id()),
                        webhookId,
                        s.tenantId(),
                        s.id(),
                        type,
                        at,
                        incident,
                        0,
                        null,
                        null,
                        Instant.ofEpochMilli(happened),
                        silenceId));
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
