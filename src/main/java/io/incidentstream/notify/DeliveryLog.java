package io.incidentstream.notify;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last {@value #PER_SUBSCRIPTION} deliveries of each subscription made by this instance, newest
 * first. Best effort and per instance: kept in memory (gone at a restart), and with several
 * instances each knows the deliveries it made itself (which instance delivers depends on the
 * partition of the incident or of the retry).
 */
public final class DeliveryLog {
    static final int PER_SUBSCRIPTION = 100;

    /** One delivery as the log shows it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(
            String id,
            String webhookId,
            String type,
            String incidentId,
            String status,
            int attempts,
            Integer responseStatus,
            Long latencyMs,
            String lastError,
            Instant firstAttemptAt,
            Instant lastAttemptAt,
            Instant nextAttemptAt,
            @JsonIgnore Delivery delivery) {}

    private final Map<String, Deque<Entry>> bySubscription = new ConcurrentHashMap<>();

    /** Adds or replaces (by id) an entry of the subscription {@code tenant/id}. */
    public void record(final String subscriptionKey, final Entry entry) {
        final Deque<Entry> entries = bySubscription.computeIfAbsent(subscriptionKey, k -> new ArrayDeque<>());
        synchronized (entries) {
            for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
                if (it.next().id().equals(entry.id())) {
                    it.remove();
                    break;
                }
            }
            entries.addFirst(entry);
            while (entries.size() > PER_SUBSCRIPTION) {
                entries.removeLast();
            }
        }
    }

    public List<Entry> list(final String tenant, final String subscriptionId) {
        final Deque<Entry> entries = bySubscription.get(WebhookSubscription.key(tenant, subscriptionId));
        if (entries == null) {
            return List.of();
        }
        synchronized (entries) {
            return new ArrayList<>(entries);
        }
    }

    public Optional<Entry> find(final String tenant, final String subscriptionId, final String deliveryId) {
        return list(tenant, subscriptionId).stream()
                .filter(e -> e.id().equals(deliveryId))
                .findFirst();
    }

    void forget(final String tenant, final String subscriptionId) {
        bySubscription.remove(WebhookSubscription.key(tenant, subscriptionId));
    }
}
