package io.incidentstream.ingest;

import static io.incidentstream.errors.InvalidAlertException.Reason.BAD_VALUE;
import static io.incidentstream.errors.InvalidAlertException.Reason.MISSING_FIELD;
import static io.incidentstream.errors.InvalidAlertException.Reason.NOT_OBJECT;
import static io.incidentstream.errors.InvalidAlertException.Reason.TOO_LARGE;
import static io.incidentstream.errors.InvalidAlertException.Reason.WRONG_TYPE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.incidentstream.codec.Json;
import io.incidentstream.errors.InvalidAlertException;
import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.AlertStatus;
import io.incidentstream.model.Texts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Translates what Prometheus' Alertmanager sends into native alert events; pure, no HTTP.
 * Two payloads share one mapping:
 * <ul>
 *   <li>the webhook notification (version 4) an Alertmanager {@code webhook_config} posts, and</li>
 *   <li>the Alertmanager API v2 {@code postableAlerts} array, which Prometheus itself posts when it
 *       names incident-stream as its alertmanager.</li>
 * </ul>
 *
 * <p><b>Time.</b> {@code checkedAt} is the time the notification was received, for firing and
 * resolved alerts alike. Alertmanager re-sends a firing alert with the same {@code startsAt}, and
 * the lifecycle ignores a FIRING whose {@code checkedAt} equals the incident's {@code lastCheckedAt}
 * as a duplicate: with {@code startsAt} no re-notification would ever fold or extend
 * {@code validUntil}. A resolve uses the receive time too rather than {@code endsAt}: {@code endsAt}
 * can lie before the receive time of the last firing notification (Alertmanager flushes a group on
 * its own timer), and the lifecycle drops events older than {@code lastCheckedAt}, so the incident
 * would never resolve. The sender's {@code startsAt} and {@code endsAt} are kept in
 * {@code reportData}; {@code resolvedAt} is when incident-stream learnt of the resolution.
 *
 * <p><b>Validity.</b> A firing alert whose {@code endsAt} lies in the future (Prometheus sends
 * {@code now + 4 × resend interval}) is valid until then; a zero {@code endsAt} (Alertmanager's
 * webhook always sends {@code 0001-01-01T00:00:00Z} for firing alerts) means {@code INCIDENT_TTL}
 * from receipt, which therefore has to exceed the time between two notifications.
 */
public final class AlertmanagerAdapter {
    /** Most alerts accepted in one request; more is refused whole rather than half-published. */
    public static final int MAX_ALERTS = 1000;

    static final String VIA_WEBHOOK = "alertmanager-webhook";
    static final String VIA_API = "alertmanager-api-v2";

    private final AlertDecoder decoder;

    public AlertmanagerAdapter(final AlertDecoder decoder) {
        this.decoder = decoder;
    }

    /**
     * A webhook notification: {@code {"receiver", "status", "alerts": [...], "groupKey", ...}}. Each
     * alert's own {@code status} decides FIRING or RESOLVED (the top-level status is the group's).
     *
     * @throws InvalidAlertException naming the first bad field; then nothing of the payload counts
     */
    public List<AlertEvent> fromWebhook(final byte[] body, final Instant receivedAt) {
        final JsonNode root = JsonInput.parse(body);
        if (!root.isObject()) {
            throw new InvalidAlertException(NOT_OBJECT, "a webhook notification must be a JSON object");
        }
        final JsonNode alerts = JsonInput.field(root, "alerts");
        if (alerts == null) {
            throw new InvalidAlertException(MISSING_FIELD, "alerts is required");
        }
        final ObjectNode group = Json.mapper().createObjectNode();
        putText(group, "receiver", JsonInput.text(root, "receiver", ""));
        putText(group, "groupKey", JsonInput.text(root, "groupKey", ""));
        putText(group, "externalURL", JsonInput.text(root, "externalURL", ""));
        final List<AlertEvent> events = new ArrayList<>();
        forEachAlert(alerts, "alerts", (alert, where) -> events.add(translate(alert, where, receivedAt, group, true)));
        return events;
    }

    /**
     * An Alertmanager API v2 {@code POST /api/v2/alerts} body: an array of postable alerts
     * ({@code labels}, {@code annotations}, {@code startsAt}, {@code endsAt}, {@code generatorURL}).
     * An {@code endsAt} at or before the receive time means resolved, as in Alertmanager.
     */
    public List<AlertEvent> fromApi(final byte[] body, final Instant receivedAt) {
        final JsonNode root = JsonInput.parse(body);
        final List<AlertEvent> events = new ArrayList<>();
        forEachAlert(root, "", (alert, where) -> events.add(translate(alert, where, receivedAt, null, false)));
        return events;
    }

    private interface AlertConsumer {
        void accept(JsonNode alert, String where);
    }

    private static void forEachAlert(final JsonNode alerts, final String path, final AlertConsumer consumer) {
        if (!alerts.isArray()) {
            throw new InvalidAlertException(
                    WRONG_TYPE, (path.isEmpty() ? "the body" : path) + " must be an array of alerts");
        }
        if (alerts.size() > MAX_ALERTS) {
            throw new InvalidAlertException(
                    TOO_LARGE,
                    (path.isEmpty() ? "the body" : path) + " has " + alerts.size() + " alerts, more than " + MAX_ALERTS
                            + " per request");
        }
        for (int i = 0; i < alerts.size(); i++) {
            final String where = (path.isEmpty() ? "alerts" : path) + "[" + i + "]";
            final JsonNode alert = alerts.get(i);
            if (!alert.isObject()) {
                throw new InvalidAlertException(NOT_OBJECT, where + " must be a JSON object");
            }
            consumer.accept(alert, where);
        }
    }

    private AlertEvent translate(
            final JsonNode alert,
            final String where,
            final Instant receivedAt,
            final ObjectNode group,
            final boolean webhook) {
        final Map<String, String> labels = JsonInput.strings(alert, "labels", where);
        final Map<String, String> annotations = JsonInput.strings(alert, "annotations", where);
        final Instant startsAt = time(alert, "startsAt", where);
        final Instant endsAt = time(alert, "endsAt", where);
        final AlertStatus status = webhook ? webhookStatus(alert, where) : apiStatus(endsAt, receivedAt);
        final String alertName = labels.get("alertname");
        return new NativeAlert()
                .alertId(alertId(alert, labels, where, webhook))
                .status(status)
                .checkedAt(receivedAt)
                .validUntil(
                        status == AlertStatus.FIRING && endsAt != null && endsAt.isAfter(receivedAt) ? endsAt : null)
                .severity(SeverityLabels.fromLabel(labels.get("severity")))
                .alertTemplateId(alertName)
                .title(firstNonBlank(annotations.get("summary"), annotations.get("description"), alertName))
                .description(annotations.get("description"))
                .labels(labels)
                .reportData(reportData(alert, where, annotations, startsAt, endsAt, group, webhook))
                .decode(decoder, where);
    }

    /** The webhook's fingerprint when given, else the one Alertmanager would compute from the labels. */
    private static String alertId(
            final JsonNode alert, final Map<String, String> labels, final String where, final boolean webhook) {
        final String fingerprint = webhook ? JsonInput.text(alert, "fingerprint", where) : null;
        if (fingerprint != null && !fingerprint.isBlank()) {
            return fingerprint;
        }
        if (labels.isEmpty()) {
            throw new InvalidAlertException(
                    MISSING_FIELD,
                    where + ".labels must hold at least one label" + (webhook ? " when there is no fingerprint" : ""));
        }
        return LabelFingerprint.of(labels);
    }

    private static AlertStatus webhookStatus(final JsonNode alert, final String where) {
        final String status = JsonInput.requiredText(alert, "status", where);
        return switch (status.trim().toLowerCase(Locale.ROOT)) {
            case "firing" -> AlertStatus.FIRING;
            case "resolved" -> AlertStatus.RESOLVED;
            default ->
                throw new InvalidAlertException(
                        InvalidAlertException.Reason.BAD_ENUM,
                        where + ".status must be firing or resolved, got '" + Texts.abbreviate(status) + "'");
        };
    }

    private static AlertStatus apiStatus(final Instant endsAt, final Instant receivedAt) {
        return endsAt != null && !endsAt.isAfter(receivedAt) ? AlertStatus.RESOLVED : AlertStatus.FIRING;
    }

    private static Instant time(final JsonNode alert, final String field, final String where) {
        final String text = JsonInput.text(alert, field, where);
        if (text == null || text.isBlank()) {
            return null;
        }
        return Timestamps.parseOrZero(JsonInput.at(where, field), text);
    }

    private static ObjectNode reportData(
            final JsonNode alert,
            final String where,
            final Map<String, String> annotations,
            final Instant startsAt,
            final Instant endsAt,
            final ObjectNode group,
            final boolean webhook) {
        if (startsAt != null && endsAt != null && endsAt.isBefore(startsAt)) {
            throw new InvalidAlertException(BAD_VALUE, where + ".endsAt " + endsAt + " is before startsAt " + startsAt);
        }
        final ObjectNode data = Json.mapper().createObjectNode();
        data.put("receivedVia", webhook ? VIA_WEBHOOK : VIA_API);
        if (!annotations.isEmpty()) {
            final ObjectNode target = data.putObject("annotations");
            annotations.forEach(target::put);
        }
        putText(data, "startsAt", startsAt == null ? null : startsAt.toString());
        putText(data, "endsAt", endsAt == null ? null : endsAt.toString());
        putText(data, "generatorURL", JsonInput.text(alert, "generatorURL", where));
        if (group != null) {
            data.setAll(group);
        }
        return data;
    }

    private static void putText(final ObjectNode node, final String field, final String value) {
        if (value != null && !value.isBlank()) {
            node.put(field, value);
        }
    }

    private static String firstNonBlank(final String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate;
            }
        }
        return null;
    }
}
