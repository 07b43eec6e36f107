package io.incidentstream.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.incidentstream.codec.Json;
import io.incidentstream.errors.InvalidAlertException;
import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.AlertStatus;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Texts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Translates one PagerDuty Events API v2 event ({@code POST /v2/enqueue}) into a native alert event;
 * pure, no HTTP. The {@code dedup_key} is the {@code alertId}, so a trigger and the later resolve
 * with the same key meet in one incident.
 *
 * <ul>
 *   <li>{@code trigger} → FIRING: {@code payload.summary} → title, {@code payload.severity}
 *       critical/error/warning/info → critical/high/medium/low, {@code payload.class} →
 *       alertTemplateId, {@code source}/{@code component}/{@code group}/{@code class} → labels,
 *       {@code custom_details}, {@code timestamp}, {@code client}, {@code client_url} → reportData.
 *       Without a {@code dedup_key} one is generated (a UUID, as PagerDuty does) and returned.</li>
 *   <li>{@code resolve} → RESOLVED; {@code dedup_key} required.</li>
 *   <li>{@code acknowledge} is refused with 400 for now: acknowledging is a status change of the
 *       incident, made through the incident write path ({@code PATCH /incidents/{id}}), which this
 *       adapter does not drive yet; accepting it as a fold would misreport it, and dropping it
 *       silently would lie to the sender.</li>
 * </ul>
 *
 * <p><b>Time.</b> {@code checkedAt} is the receive time (as for Alertmanager: every event is a new
 * check); the sender's {@code payload.timestamp} is kept in reportData. PagerDuty events are
 * edge-triggered (a trigger holds until its resolve), so a trigger is valid for the configured
 * {@code PAGERDUTY_TTL} rather than {@code INCIDENT_TTL}; a repeated trigger extends it.
 *
 * <p><b>routing_key</b> is required, as by PagerDuty, but is no credential: the bearer token is
 * (the HTTP layer stamps its tenant on the event; with auth off it is {@code default}). The key itself is never stored (whoever holds it
 * can raise alerts); label {@code pagerduty_integration} holds a short SHA-256 digest of it so
 * incidents of different integrations can be told apart.
 */
public final class PagerDutyAdapter {
    /** PagerDuty's own limit on {@code dedup_key}. */
    static final int MAX_DEDUP_KEY_LENGTH = 255;

    static final String VIA = "pagerduty-events-v2";
    static final String INTEGRATION_LABEL = "pagerduty_integration";

    private static final Map<String, Severity> SEVERITIES = Map.of(
            "critical", Severity.CRITICAL, "error", Severity.HIGH, "warning", Severity.MEDIUM, "info", Severity.LOW);
    private static final List<String> LABEL_FIELDS = List.of("source", "component", "group", "class");

    /** An accepted event and the {@code dedup_key} to answer with (generated when the trigger had none). */
    public record Accepted(AlertEvent event, String dedupKey) {}

    private final AlertDecoder decoder;
    private final Duration ttl;
    private final Supplier<String> dedupKeys;

    public PagerDutyAdapter(final AlertDecoder decoder, final Duration ttl) {
        this(decoder, ttl, () -> UUID.randomUUID().toString().replace("-", ""));
    }

    public PagerDutyAdapter(final AlertDecoder decoder, final Duration ttl, final Supplier<String> dedupKeys) {
        this.decoder = decoder;
        this.ttl = ttl;
        this.dedupKeys = dedupKeys;
    }

    /**
     * The native alert an Events API v2 body stands for.
     *
     * @throws InvalidPagerDutyEventException listing every problem found; nothing is accepted then
     */
    public Accepted translate(final byte[] body, final Instant receivedAt) {
        final JsonNode event = parse(body);
        final Errors errors = new Errors();
        final String routingKey = errors.check(() -> JsonInput.requiredText(event, "routing_key", ""));
        final String action = errors.check(() -> action(event));
        final String givenKey = errors.check(() -> dedupKey(event, action));
        final JsonNode payload = "trigger".equals(action) ? errors.check(() -> payload(event)) : null;
        final Trigger trigger = payload == null ? null : trigger(payload, errors);
        errors.throwIfAny();
        final String dedupKey = givenKey != null ? givenKey : dedupKeys.get();
        final NativeAlert alert = new NativeAlert().alertId(dedupKey).checkedAt(receivedAt);
        final ObjectNode data = Json.mapper().createObjectNode().put("receivedVia", VIA);
        if (trigger == null) {
            alert.status(AlertStatus.RESOLVED);
        } else {
            alert.status(AlertStatus.FIRING)
                    .validUntil(receivedAt.plus(ttl))
                    .severity(trigger.severity())
                    .title(trigger.summary())
                    .alertTemplateId(trigger.labels().get("class"))
                    .labels(withIntegration(trigger.labels(), routingKey));
            trigger.details().forEach(data::set);
            copyText(event, data, "client");
            copyText(event, data, "client_url");
        }
        try {
            return new Accepted(alert.reportData(data).decode(decoder, ""), dedupKey);
        } catch (InvalidAlertException e) {
            throw new InvalidPagerDutyEventException(List.of(e.getMessage()));
        }
    }

    private static JsonNode parse(final byte[] body) {
        final JsonNode event;
        try {
            event = JsonInput.parse(body);
        } catch (InvalidAlertException e) {
            throw new InvalidPagerDutyEventException(List.of(e.getMessage()));
        }
        if (!event.isObject()) {
            throw new InvalidPagerDutyEventException(List.of("the event must be a JSON object"));
        }
        return event;
    }

    private static String action(final JsonNode event) {
        final String action = JsonInput.requiredText(event, "event_action", "");
        return switch (action) {
            case "trigger", "resolve" -> action;
            case "acknowledge" ->
                throw new InvalidAlertException(
                        InvalidAlertException.Reason.BAD_ENUM,
                        "event_action 'acknowledge' is not supported yet: acknowledge the incident with "
                                + "PATCH /incidents/{id} {\"status\": \"ACKNOWLEDGED\"}; events may trigger or resolve");
            default ->
                throw new InvalidAlertException(
                        InvalidAlertException.Reason.BAD_ENUM,
                        "event_action must be trigger, acknowledge or resolve, got '" + Texts.abbreviate(action) + "'");
        };
    }

    private static String dedupKey(final JsonNode event, final String action) {
        final String key = JsonInput.text(event, "dedup_key", "");
        if (key == null || key.isBlank()) {
            if ("resolve".equals(action)) {
                throw new InvalidAlertException(
                        InvalidAlertException.Reason.MISSING_FIELD, "dedup_key is required to resolve");
            }
            return null;
        }
        if (key.length() > MAX_DEDUP_KEY_LENGTH) {
            throw new InvalidAlertException(
                    InvalidAlertException.Reason.TOO_LARGE,
                    "dedup_key is longer than " + MAX_DEDUP_KEY_LENGTH + " characters");
        }
        return key;
    }

    private static JsonNode payload(final JsonNode event) {
        final JsonNode payload = JsonInput.field(event, "payload");
        if (payload == null) {
            throw new InvalidAlertException(
                    InvalidAlertException.Reason.MISSING_FIELD, "payload is required to trigger");
        }
        if (!payload.isObject()) {
            throw new InvalidAlertException(InvalidAlertException.Reason.WRONG_TYPE, "payload must be a JSON object");
        }
        return payload;
    }

    /** What a trigger's payload contributes; null parts where the payload had errors (then unused). */
    private record Trigger(
            String summary, Severity severity, Map<String, String> labels, Map<String, JsonNode> details) {}

    private static Trigger trigger(final JsonNode payload, final Errors errors) {
        final String summary = errors.check(() -> JsonInput.requiredText(payload, "summary", "payload"));
        errors.check(() -> JsonInput.requiredText(payload, "source", "payload"));
        final Severity severity = errors.check(() -> severity(payload));
        final Map<String, String> labels = new LinkedHashMap<>();
        for (String field : LABEL_FIELDS) {
            final String value = errors.check(() -> JsonInput.text(payload, field, "payload"));
            if (value != null && !value.isBlank()) {
                labels.put(field, value);
            }
        }
        final Map<String, JsonNode> details = new LinkedHashMap<>();
        final Instant timestamp = errors.check(() -> timestamp(payload));
        if (timestamp != null) {
            details.put("timestamp", Json.mapper().getNodeFactory().textNode(timestamp.toString()));
        }
        final JsonNode custom = JsonInput.field(payload, "custom_details");
        if (custom != null) {
            details.put("custom_details", custom);
        }
        return new Trigger(summary, severity, labels, details);
    }

    private static Severity severity(final JsonNode payload) {
        final String severity = JsonInput.requiredText(payload, "severity", "payload");
        final Severity mapped = SEVERITIES.get(severity);
        if (mapped == null) {
            throw new InvalidAlertException(
                    InvalidAlertException.Reason.BAD_ENUM,
                    "payload.severity must be critical, error, warning or info, got '" + Texts.abbreviate(severity)
                            + "'");
        }
        return mapped;
    }

    private static Instant timestamp(final JsonNode payload) {
        final String text = JsonInput.text(payload, "timestamp", "payload");
        return text == null || text.isBlank() ? null : Timestamps.parse("payload.timestamp", text);
    }

    private static Map<String, String> withIntegration(final Map<String, String> labels, final String routingKey) {
        final Map<String, String> all = new LinkedHashMap<>(labels);
        all.put(INTEGRATION_LABEL, integration(routingKey));
        return all;
    }

    /** A digest that tells integrations apart without storing their key (12 hex digits of SHA-256). */
    static String integration(final String routingKey) {
        try {
            final byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(routingKey.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    private static void copyText(final JsonNode event, final ObjectNode data, final String field) {
        final JsonNode value = JsonInput.field(event, field);
        if (value != null && value.isTextual() && !value.textValue().isBlank()) {
            data.put(field, value.textValue());
        }
    }

    /** Collects every problem of an event instead of stopping at the first, as PagerDuty reports them. */
    private static final class Errors {
        private final List<String> messages = new ArrayList<>();

        <T> T check(final Supplier<T> read) {
            try {
                return read.get();
            } catch (InvalidAlertException e) {
                messages.add(e.getMessage());
                return null;
            }
        }

        void throwIfAny() {
            if (!messages.isEmpty()) {
                throw new InvalidPagerDutyEventException(messages);
            }
        }
    }
}
