package io.incidentstream.notify;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Subscriptions by {@code tenant/id}: the view the Kafka store keeps up to date, and the store of unit tests. */
public class InMemorySubscriptions implements SubscriptionStore {
    private final Map<String, WebhookSubscription> byKey = new ConcurrentHashMap<>();

    @Override
    public Optional<WebhookSubscription> get(final String tenant, final String id) {
        return Optional.ofNullable(byKey.get(WebhookSubscription.key(tenant, id)));
    }

    @Override
    public List<WebhookSubscription> list(final String tenant) {
        return byKey.values().stream()
                .filter(s -> s.tenantId().equals(tenant))
                .sorted(Comparator.comparing(WebhookSubscription::createdAt).thenComparing(WebhookSubscription::id))
                .toList();
    }

    @Override
    public void put(final WebhookSubscription subscription) {
        byKey.put(subscription.key(), subscription);
    }

    @Override
    public void delete(final String tenant, final String id) {
        byKey.remove(WebhookSubscription.key(tenant, id));
    }

    /** Applies a record read from the topic: a value replaces, a tombstone removes. */
    final void apply(final String key, final WebhookSubscription value) {
        if (value == null) {
            byKey.remove(key);
        } else {
            byKey.put(key, value);
        }
    }
}
