package io.incidentstream.notify;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tenant's webhook subscription as stored on topic {@code webhook-subscriptions} (key
 * {@code tenant/id}), secrets included. What the API shows is {@link #view()}: never a secret.
 *
 * @param events  which changes it hears about: {@code opened}, {@code acknowledged}, ... ({@link EventTypes#ALL})
 * @param format  {@code standard} (JSON envelope) or {@code slack} (a Slack incoming-webhook message)
 * @param secrets the current secret first; during a rotation's overlap the previous one too, with its end
 * @param enabled false once a receiver answered 410 Gone (a PATCH with {@code enabled: true} turns it back on)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookSubscription(
        String id,
        String tenantId,
        String url,
        List<String> events,
        WebhookFilter filter,
        String format,
        List<SigningSecret> secrets,
        boolean enabled,
        String disabledReason,
        Instant createdAt,
        Instant updatedAt) {

    public static final String STANDARD = "standard";
    public static final String SLACK = "slack";

    public WebhookSubscription {
        events = List.copyOf(events);
        filter = filter == null ? WebhookFilter.NONE : filter;
        secrets = List.copyOf(secrets);
    }

    /** The store's key: tenant and id. */
    public String key() {
        return key(tenantId, id);
    }

    static String key(final String tenant, final String id) {
        return tenant + "/" + id;
    }

    /** The secrets that sign a delivery made at {@code now}, the current first. */
    List<String> signingSecrets(final Instant now) {
        final List<String> out = new ArrayList<>();
        for (SigningSecret s : secrets) {
            if (s.validAt(now)) {
                out.add(s.value());
            }
        }
        return out;
    }

    WebhookSubscription with(
            final String newUrl,
            final List<String> newEvents,
            final WebhookFilter newFilter,
            final String newFormat,
            final boolean newEnabled,
            final Instant now) {
        return new WebhookSubscription(
                id,
                tenantId,
                newUrl,
                newEvents,
                newFilter,
                newFormat,
                secrets,
                newEnabled,
                newEnabled ? null : disabledReason,
                createdAt,
                now);
    }

    WebhookSubscription withSecrets(final List<SigningSecret> newSecrets, final Instant now) {
        return new WebhookSubscription(
                id, tenantId, url, events, filter, format, newSecrets, enabled, disabledReason, createdAt, now);
    }

    WebhookSubscription disabled(final String reason, final Instant now) {
        return new WebhookSubscription(
                id, tenantId, url, events, filter, format, secrets, false, reason, createdAt, now);
    }

    /** The subscription as the API shows it: everything but the secrets (and when an old one stops signing). */
    public Map<String, Object> view() {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("url", url);
        m.put("events", events);
        m.put("filter", filter);
        m.put("format", format);
        m.put("enabled", enabled);
        if (disabledReason != null) {
            m.put("disabledReason", disabledReason);
        }
        secrets.stream()
                .filter(s -> s.expiresAt() != null)
                .findFirst()
                .ifPresent(s -> m.put("previousSecretExpiresAt", s.expiresAt()));
        m.put("createdAt", createdAt);
        m.put("updatedAt", updatedAt);
        return m;
    }

    @Override
    public String toString() {
        return "WebhookSubscription[" + key() + ", format=" + format + ", enabled=" + enabled + "]";
    }
}
