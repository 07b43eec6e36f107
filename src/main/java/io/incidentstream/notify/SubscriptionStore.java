package io.incidentstream.notify;

import java.util.List;
import java.util.Optional;

/** Where subscriptions live: every instance sees every tenant's, so whichever instance delivers finds them. */
public interface SubscriptionStore {
    Optional<WebhookSubscription> get(String tenant, String id);

    /** The tenant's subscriptions, oldest first. */
    List<WebhookSubscription> list(String tenant);

    /** Stores it durably; returns once it is, and this instance sees it from then on. */
    void put(WebhookSubscription subscription);

    void delete(String tenant, String id);
}
