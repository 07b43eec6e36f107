package io.incidentstream.notify;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.incidentstream.model.Incident;
import java.time.Instant;

/**
 * One notification to one subscription, as queued and as kept on topic {@code webhook-retries}
 * between attempts (key {@code tenant/subscriptionId}, so one subscription's retries stay in order
 * on one partition).
 *
 * @param webhookId  the transition's stable id, sent as {@code webhook-id} on every attempt:
 *                   {@code <incidentId>:<type>:<offset on incident-events>}
 * @param deliveryId this delivery's id in the log (the webhook id and the subscription, hashed)
 * @param type       {@code opened}, {@code acknowledged} …; sent as {@code incident.<type>}
 * @param timestamp  when the transition happened
 * @param incident   the incident right after it
 * @param attempts   attempts made so far
 * @param dueAt      when the next attempt is due (on the retry topic)
 * @param committedAt when the transition was written to {@code incident-events}: the start of the delivery delay
 *                    (for {@code unsilenced}: when the silence ended)
 * @param silenceId  for {@code unsilenced}: the silence that ended; null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Delivery(
        String deliveryId,
        String webhookId,
        String tenantId,
        String subscriptionId,
        String type,
        Instant timestamp,
        Incident incident,
        int attempts,
        Instant firstAttemptAt,
        Instant dueAt,
        Instant committedAt,
        String silenceId) {

    /** The subscription's key in the store, and this delivery's key on the retry topic. */
    String subscriptionKey() {
        return WebhookSubscription.key(tenantId, subscriptionId);
    }

    Delivery retryAt(final int attemptsMade, final Instant first, final Instant due) {
        return new Delivery(
                deliveryId,
                webhookId,
                tenantId,
                subscriptionId,
                type,
                timestamp,
                incident,
                attemptsMade,
                first,
                due,
                committedAt,
                silenceId);
    }

    /** The same notification sent afresh (redelivery on request): same webhook id, a new count of attempts. */
    Delivery again(final Instant now) {
        return new Delivery(
                deliveryId,
                webhookId,
                tenantId,
                subscriptionId,
                type,
                timestamp,
                incident,
                0,
                null,
                now,
                committedAt,
                silenceId);
    }
}
