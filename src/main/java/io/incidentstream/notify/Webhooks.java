package io.incidentstream.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.errors.BadRequestException;
import io.incidentstream.errors.NotFoundException;
import io.incidentstream.model.LabelMatcher;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Status;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The webhook use cases behind {@code /webhooks}: create, list, get, change, delete, rotate the
 * secret, read the delivery log, redeliver. Knows nothing of HTTP; bad input is a
 * {@link BadRequestException} naming the field, another tenant's subscription a {@link NotFoundException}.
 */
public final class Webhooks {
    /** How long the previous secret still signs after a rotation. */
    public static final Duration ROTATION_OVERLAP = Duration.ofHours(24);

    /** Most subscriptions per tenant. */
    public static final int MAX_PER_TENANT = 100;

    static final int MAX_URL = 2048;
    private static final Set<String> FIELDS = Set.of("url", "events", "filter", "format", "enabled");
    private static final Set<String> FILTER_FIELDS = Set.of("severity", "status", "labels");

    private final SubscriptionStore store;
    private final DeliveryLog log;
    private final RetryQueue redeliveries;
    private final AddressPolicy addresses;
    private final Clock clock;

    public Webhooks(
            final SubscriptionStore store,
            final DeliveryLog log,
            final RetryQueue redeliveries,
            final AddressPolicy addresses,
            final Clock clock) {
        this.store = store;
        this.log = log;
        this.redeliveries = redeliveries;
        this.addresses = addresses;
        this.clock = clock;
    }

    /** The API's view of a new subscription, with its secret: the only time the secret is shown. */
    public Map<String, Object> create(final String tenant, final JsonNode body) {
        object(body, "the request body", FIELDS);
        if (store.list(tenant).size() >= MAX_PER_TENANT) {
            throw new BadRequestException("a tenant may have at most " + MAX_PER_TENANT + " webhook subscriptions");
        }
        if (body.has("enabled") && !body.get("enabled").isBoolean()) {
            throw new BadRequestException("enabled must be true or false");
        }
        final Instant now = now();
        final String secret = Signatures.newSecret();
        final WebhookSubscription s = new WebhookSubscription(
                "wh_" + UUID.randomUUID().toString().replace("-", ""),
                tenant,
                url(body.get("url")),
                body.has("events") ? events(body.get("events")) : List.of(EventTypes.EVERY),
                body.has("filter") ? filter(body.get("filter")) : WebhookFilter.NONE,
                body.has("format") ? format(body.get("format")) : WebhookSubscription.STANDARD,
                List.of(new SigningSecret(secret, null)),
                !body.has("enabled") || body.get("enabled").asBoolean(),
                null,
                now,
                now);
        store.put(s);
        final Map<String, Object> view = new LinkedHashMap<>(s.view());
        view.put("secret", secret);
        return view;
    }

    public List<Map<String, Object>> list(final String tenant) {
        return store.list(tenant).stream().map(WebhookSubscription::view).toList();
    }

    public Map<String, Object> get(final String tenant, final String id) {
        return find(tenant, id).view();
    }

    /** Changes the fields the body names; the others stay. */
    public Map<String, Object> update(final String tenant, final String id, final JsonNode body) {
        object(body, "the request body", FIELDS);
        final WebhookSubscription s = find(tenant, id);
        if (body.has("enabled") && !body.get("enabled").isBoolean()) {
            throw new BadRequestException("enabled must be true or false");
        }
        final WebhookSubscription changed = s.with(
                body.has("url") ? url(body.get("url")) : s.url(),
                body.has("events") ? events(body.get("events")) : s.events(),
                body.has("filter") ? filter(body.get("filter")) : s.filter(),
                body.has("format") ? format(body.get("format")) : s.format(),
                body.has("enabled") ? body.get("enabled").asBoolean() : s.enabled(),
                now());
        store.put(changed);
        return changed.view();
    }

    public void delete(final String tenant, final String id) {
        find(tenant, id);
        store.delete(tenant, id);
        log.forget(tenant, id);
    }

    /**
     * A new current secret (returned, shown this once); the one it replaces keeps signing, as a second
     * signature, for {@link #ROTATION_OVERLAP}. Any older one stops at once.
     */
    public Map<String, Object> rotateSecret(final String tenant, final String id) {
        final WebhookSubscription s = find(tenant, id);
        final Instant now = now();
        final String secret = Signatures.newSecret();
        final List<SigningSecret> secrets = List.of(
                new SigningSecret(secret, null),
                new SigningSecret(s.secrets().get(0).value(), now.plus(ROTATION_OVERLAP)));
        final WebhookSubscription rotated = s.withSecrets(secrets, now);
        store.put(rotated);
        final Map<String, Object> view = new LinkedHashMap<>(rotated.view());
        view.put("secret", secret);
        return view;
    }

    public List<DeliveryLog.Entry> deliveries(final String tenant, final String id) {
        find(tenant, id);
        return log.list(tenant, id);
    }

    /** Sends a logged delivery again (same {@code webhook-id}, as a fresh delivery with its own retries). */
    public DeliveryLog.Entry redeliver(final String tenant, final String id, final String deliveryId) {
        find(tenant, id);
        final DeliveryLog.Entry entry = log.find(tenant, id, deliveryId)
                .orElseThrow(() -> new NotFoundException("no delivery " + deliveryId + " in this instance's log of "
                        + id + " (the log is per instance: ask the one that made it)"));
        final java.util.concurrent.CompletableFuture<Void> stored = new java.util.concurrent.CompletableFuture<>();
        redeliveries.schedule(entry.delivery().again(now()), () -> stored.complete(null));
        try {
            stored.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.incidentstream.errors.UnavailableException("interrupted", Duration.ofSeconds(1));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new io.incidentstream.errors.UnavailableException(
                    "the redelivery could not be queued; retry", Duration.ofSeconds(1));
        }
        return entry;
    }

    private WebhookSubscription find(final String tenant, final String id) {
        return store.get(tenant, id).orElseThrow(() -> new NotFoundException("no webhook subscription " + id));
    }

    private Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    private static void object(final JsonNode node, final String what, final Set<String> allowed) {
        if (node == null || !node.isObject()) {
            throw new BadRequestException(what + " must be a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            final String f = it.next();
            if (!allowed.contains(f)) {
                throw new BadRequestException(f + ": unknown field; known are " + new java.util.TreeSet<>(allowed));
            }
        }
    }

    private String url(final JsonNode node) {
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw new BadRequestException("url is required: the receiver's absolute http or https URL");
        }
        final String text = node.asText();
        if (text.length() > MAX_URL) {
            throw new BadRequestException("url is longer than " + MAX_URL + " characters");
        }
        final URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new BadRequestException("url is not a valid URL: " + e.getReason());
        }
        final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new BadRequestException("url must be an absolute http or https URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new BadRequestException("url must not carry credentials (user:password@)");
        }
        if (addresses.refusesLiteral(uri.getHost())) {
            throw new BadRequestException("url points to a loopback, private or link-local address, which this server"
                    + " does not deliver to (WEBHOOK_ALLOW_PRIVATE=false)");
        }
        return text;
    }

    private static List<String> events(final JsonNode node) {
        final List<String> values = strings(node, "events");
        if (values.isEmpty()) {
            throw new BadRequestException("events must name at least one of " + EventTypes.ALL);
        }
        final Set<String> out = new LinkedHashSet<>();
        for (String v : values) {
            final String e = v.toLowerCase(Locale.ROOT).replaceFirst("^incident\\.", "");
            if (!EventTypes.ALL.contains(e) && !e.equals(EventTypes.EVERY)) {
                throw new BadRequestException(
                        "events: unknown event " + v + "; known are " + EventTypes.ALL + ", or * for every one");
            }
            out.add(e);
        }
        return List.copyOf(out);
    }

    private static String format(final JsonNode node) {
        final String f = node.isTextual() ? node.asText().toLowerCase(Locale.ROOT) : "";
        if (!f.equals(WebhookSubscription.STANDARD) && !f.equals(WebhookSubscription.SLACK)) {
            throw new BadRequestException("format must be standard or slack");
        }
        return f;
    }

    private static WebhookFilter filter(final JsonNode node) {
        if (node.isNull()) {
            return WebhookFilter.NONE;
        }
        object(node, "filter", FILTER_FIELDS);
        final List<Severity> severity = parsed(node.get("severity"), "filter.severity", Severity::parse);
        final List<Status> status = parsed(node.get("status"), "filter.status", Status::parse);
        final List<String> labels = strings(node.get("labels"), "filter.labels");
        for (String l : labels) {
            try {
                LabelMatcher.parse(l);
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("filter.labels: " + e.getMessage());
            }
        }
        return new WebhookFilter(severity, status, labels);
    }

    private static <T> List<T> parsed(final JsonNode node, final String field, final Function<String, T> parse) {
        final List<T> out = new ArrayList<>();
        for (String s : strings(node, field)) {
            try {
                out.add(parse.apply(s));
            } catch (RuntimeException e) {
                throw new BadRequestException(field + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static List<String> strings(final JsonNode node, final String field) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new BadRequestException(field + " must be an array of strings");
        }
        final List<String> out = new ArrayList<>();
        for (JsonNode n : node) {
            if (!n.isTextual()) {
                throw new BadRequestException(field + " must be an array of strings");
            }
            out.add(n.asText());
        }
        if (out.size() > 64) {
            throw new BadRequestException(field + " has more than 64 entries");
        }
        return out;
    }
}
