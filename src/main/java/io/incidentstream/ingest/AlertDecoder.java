package io.incidentstream.ingest;

import static io.incidentstream.errors.InvalidAlertException.Reason.BAD_ENUM;
import static io.incidentstream.errors.InvalidAlertException.Reason.BAD_TIMESTAMP;
import static io.incidentstream.errors.InvalidAlertException.Reason.BAD_VALUE;
import static io.incidentstream.errors.InvalidAlertException.Reason.MISSING_FIELD;
import static io.incidentstream.errors.InvalidAlertException.Reason.NOT_JSON;
import static io.incidentstream.errors.InvalidAlertException.Reason.NOT_OBJECT;
import static io.incidentstream.errors.InvalidAlertException.Reason.TOO_LARGE;
import static io.incidentstream.errors.InvalidAlertException.Reason.WRONG_TYPE;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.codec.IsoInstants;
import io.incidentstream.codec.Json;
import io.incidentstream.errors.InvalidAlertException;
import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.AlertStatus;
import io.incidentstream.model.Bounds;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Texts;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns untrusted JSON into a validated, normalised {@link AlertEvent}, or throws
 * {@link InvalidAlertException} naming the field. Used by the topology (bad records go to the DLQ)
 * and by HTTP ingest (bad items are a 400), so both accept exactly the same alerts.
 *
 * <p>Texts, labels and {@code reportData} are held to the model's {@link Bounds}, so an accepted alert
 * never has to be cut when it is folded into an incident; over a bound is {@code too-large}.
 *
 * <p>Unknown fields are ignored so producers can send extra context. Timestamps are ISO-8601 with
 * an offset, or epoch milliseconds; anything outside 2000..2100 is treated as a unit mistake.
 */
public final class AlertDecoder {
    public static final int MAX_ALERT_BYTES = 64 * 1024;
    static final int MAX_ID_LENGTH = Bounds.MAX_ID_CHARS;
    static final int MAX_TITLE_LENGTH = Bounds.MAX_TITLE_CHARS;
    static final int MAX_DESCRIPTION_LENGTH = Bounds.MAX_TEXT_CHARS;
    static final int MAX_LABELS = Bounds.MAX_LABELS;
    static final int MAX_LABEL_KEY_LENGTH = Bounds.MAX_LABEL_KEY_CHARS;
    static final int MAX_LABEL_VALUE_LENGTH = Bounds.MAX_LABEL_VALUE_CHARS;
    static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Duration defaultTtl;

    public AlertDecoder(final Duration defaultTtl) {
        this.defaultTtl = defaultTtl;
    }

    /** Decodes raw record bytes, bounded in size before parsing. */
    public AlertEvent decode(final byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidAlertException(NOT_JSON, "empty record value");
        }
        if (bytes.length > MAX_ALERT_BYTES) {
            throw new InvalidAlertException(
                    TOO_LARGE, "alert is " + bytes.length + " bytes, more than " + MAX_ALERT_BYTES);
        }
        final JsonNode node;
        try {
            node = Json.mapper().readTree(bytes);
        } catch (JacksonException e) {
            throw new InvalidAlertException(NOT_JSON, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidAlertException(NOT_JSON, "not valid JSON");
        }
        return decode(node);
    }

    /**
     * Decodes one alert of a larger document (an HTTP batch, an adapter's payload) and bounds it as
     * the topic will: at most {@link #MAX_ALERT_BYTES} in UTF-8 once serialised as produced, so
     * nothing accepted by the API can be dead-lettered later for its size.
     */
    public AlertEvent decodeForTopic(final JsonNode node) {
        return EncodedAlert.of(decode(node)).event();
    }

    public AlertEvent decode(final JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new InvalidAlertException(NOT_OBJECT, "an alert must be a JSON object");
        }
        final String alertId = requiredText(node, "alertId", MAX_ID_LENGTH);
        final AlertStatus status = enumValue(node, "status", AlertStatus::parse, null);
        final Instant checkedAt = timestamp(node, "checkedAt");
        if (checkedAt == null) {
            throw new InvalidAlertException(MISSING_FIELD, "checkedAt is required");
        }
        final Instant validUntil = validUntil(node, checkedAt);
        final String tenantId = tenant(node);
        final String templateId = optionalText(node, "alertTemplateId", MAX_ID_LENGTH);
        return new AlertEvent(
                alertId,
                alertVersion(node),
                templateId != null ? templateId : alertId,
                tenantId,
                status,
                enumValue(node, "severity", Severity::parse, Severity.MEDIUM),
                optionalText(node, "title", MAX_TITLE_LENGTH),
                description(node),
                checkedAt,
                validUntil,
                reportData(node),
                labels(node),
                optionalText(node, "eventId", MAX_ID_LENGTH));
    }

    private Instant validUntil(final JsonNode node, final Instant checkedAt) {
        final Instant given = timestamp(node, "validUntil");
        if (given == null) {
            return checkedAt.plus(defaultTtl);
        }
        if (given.isBefore(checkedAt)) {
            throw new InvalidAlertException(BAD_VALUE, "validUntil " + given + " is before checkedAt " + checkedAt);
        }
        return given;
    }

    private static String tenant(final JsonNode node) {
        final String tenant = optionalText(node, "tenantId", MAX_ID_LENGTH);
        if (tenant == null) {
            return AlertEvent.DEFAULT_TENANT;
        }
        if (!TENANT.matcher(tenant).matches()) {
            throw new InvalidAlertException(
                    BAD_VALUE, "tenantId must be 1-64 of [A-Za-z0-9._-], starting with a letter or digit");
        }
        return tenant;
    }

    private static int alertVersion(final JsonNode node) {
        final JsonNode v = present(node, "alertVersion");
        if (v == null) {
            return 1;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1) {
            throw new InvalidAlertException(WRONG_TYPE, "alertVersion must be a positive integer");
        }
        return v.intValue();
    }

    private static String description(final JsonNode node) {
        final String description = optionalText(node, "description", MAX_DESCRIPTION_LENGTH);
        final String violation = Bounds.longTextViolation("description", description);
        if (violation != null) {
            throw new InvalidAlertException(TOO_LARGE, violation);
        }
        return description;
    }

    private static JsonNode reportData(final JsonNode node) {
        final JsonNode v = present(node, "reportData");
        if (v != null && !v.isObject()) {
            throw new InvalidAlertException(WRONG_TYPE, "reportData must be a JSON object");
        }
        final String violation = Bounds.reportDataViolation(v);
        if (violation != null) {
            throw new InvalidAlertException(TOO_LARGE, violation);
        }
        return v;
    }

    private static Map<String, String> labels(final JsonNode node) {
        final JsonNode v = present(node, "labels");
        if (v == null) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw new InvalidAlertException(WRONG_TYPE, "labels must be an object of strings");
        }
        if (v.size() > MAX_LABELS) {
            throw new InvalidAlertException(TOO_LARGE, "labels has " + v.size() + " entries, more than " + MAX_LABELS);
        }
        final Map<String, String> labels = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().isTextual()) {
                throw new InvalidAlertException(WRONG_TYPE, "labels." + e.getKey() + " must be a string");
            }
            if (e.getKey().length() > MAX_LABEL_KEY_LENGTH
                    || e.getValue().textValue().length() > MAX_LABEL_VALUE_LENGTH) {
                throw new InvalidAlertException(TOO_LARGE, "label " + Texts.abbreviate(e.getKey()) + " is too long");
            }
            labels.put(e.getKey(), e.getValue().textValue());
        }
        final String violation = Bounds.labelsViolation(labels);
        if (violation != null) {
            throw new InvalidAlertException(TOO_LARGE, violation);
        }
        return labels;
    }

    static Instant timestamp(final JsonNode node, final String field) {
        final JsonNode v = present(node, field);
        if (v == null) {
            return null;
        }
        final Instant at;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            at = Instant.ofEpochMilli(v.longValue());
        } else if (v.isTextual()) {
            at = parseIso(field, v.textValue());
        } else {
            throw new InvalidAlertException(
                    BAD_TIMESTAMP, field + " must be an ISO-8601 date-time or epoch milliseconds");
        }
        if (at.isBefore(EARLIEST) || !at.isBefore(LATEST)) {
            throw new InvalidAlertException(
                    BAD_TIMESTAMP, field + " " + at + " is outside 2000..2100 (seconds instead of milliseconds?)");
        }
        // Millisecond precision everywhere: the indexes and cursors order by milliseconds, and
        // equal checks must compare equal (a repeated check is recognised by its checkedAt).
        return at.truncatedTo(ChronoUnit.MILLIS);
    }

    private static Instant parseIso(final String field, final String text) {
        final Instant fast = IsoInstants.tryParse(text);
        if (fast != null) {
            return fast;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidAlertException(
                    BAD_TIMESTAMP,
                    field + " must be an ISO-8601 date-time with offset, got '" + Texts.abbreviate(text) + "'");
        }
    }

    private static <E> E enumValue(
            final JsonNode node,
            final String field,
            final java.util.function.Function<String, E> parse,
            final E fallback) {
        final JsonNode v = present(node, field);
        if (v == null) {
            if (fallback == null) {
                throw new InvalidAlertException(MISSING_FIELD, field + " is required");
            }
            return fallback;
        }
        if (!v.isTextual()) {
            throw new InvalidAlertException(WRONG_TYPE, field + " must be a string");
        }
        try {
            return parse.apply(v.textValue());
        } catch (IllegalArgumentException e) {
            throw new InvalidAlertException(BAD_ENUM, e.getMessage());
        }
    }

    private static String requiredText(final JsonNode node, final String field, final int maxLength) {
        final String text = optionalText(node, field, maxLength);
        if (text == null || text.isBlank()) {
            throw new InvalidAlertException(MISSING_FIELD, field + " is required");
        }
        return text;
    }

    private static String optionalText(final JsonNode node, final String field, final int maxLength) {
        final JsonNode v = present(node, field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidAlertException(WRONG_TYPE, field + " must be a string");
        }
        if (v.textValue().length() > maxLength) {
            throw new InvalidAlertException(TOO_LARGE, field + " is longer than " + maxLength + " characters");
        }
        return v.textValue();
    }

    /** The field's value, or null when absent or JSON null. */
    private static JsonNode present(final JsonNode node, final String field) {
        final JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }
}
