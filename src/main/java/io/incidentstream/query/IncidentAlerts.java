package io.incidentstream.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.grouping.AlertmanagerGroups;
import io.incidentstream.grouping.Rule;
import io.incidentstream.model.Incident;
import io.incidentstream.model.MemberAlert;
import io.incidentstream.model.Status;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An open incident as the Alertmanager alerts it stands for; pure. An incident of one alert is that
 * alert; a grouped incident is its listed member alerts that still fire (each with its own labels,
 * {@code startsAt} = {@code firstSeen}, {@code endsAt} = {@code validUntil}, {@code updatedAt} =
 * {@code lastCheckedAt}, and the incident's title and description as {@code summary} and
 * {@code description}), or, when none fires (a rule that only a person resolves), the incident itself,
 * so that an open incident is never invisible.
 * <ul>
 *   <li>{@code labels}: the incident's labels, with {@code alertname} added when they have none
 *       ({@code alertTemplateId}, else {@code alertId}).</li>
 *   <li>{@code annotations}: those the alert arrived with (Alertmanager and Prometheus payloads), with
 *       {@code summary} = the incident's title and {@code description} = its description, which a
 *       person may have edited since.</li>
 *   <li>{@code startsAt} = {@code createdAt}, {@code endsAt} = {@code validUntil} (Go's zero time,
 *       {@code 0001-01-01T00:00:00Z}, for a manual incident, which has none), {@code updatedAt}.</li>
 *   <li>{@code fingerprint}: the {@code alertId} when it is already one (16 hex digits: what Prometheus
 *       and Alertmanager compute for the label set, so the alert has the same fingerprint there and
 *       here), else the FNV-1a hash of the {@code alertId}, in the same form. Stable for the incident's
 *       life, since one alert key has one open incident.</li>
 *   <li>{@code status}: {@code suppressed} when silenced (with {@code silencedBy}, the silences' ids) or
 *       ACKNOWLEDGED (someone is on it); else {@code active}.</li>
 *   <li>{@code receivers}: {@link #RECEIVER}, the one receiver, incident-stream itself.</li>
 * </ul>
 */
final class IncidentAlerts {
    /** The receiver every alert is routed to. */
    static final AlertmanagerShapes.Receiver RECEIVER = new AlertmanagerShapes.Receiver("incident-stream");

    /** Go's zero time, which Alertmanager clients read as "no end". */
    static final Instant NO_END = Instant.parse("0001-01-01T00:00:00Z");

    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private IncidentAlerts() {}

    static AlertmanagerShapes.Alert of(final Incident incident) {
        return of(incident, List.of());
    }

    /** The incident's alerts: its firing members when it is grouped and any fires, else the incident as one. */
    static List<AlertmanagerShapes.Alert> all(final Incident incident, final List<String> silencedBy) {
        if (incident.alerts() == null || incident.alerts().stream().noneMatch(MemberAlert::firing)) {
            return List.of(of(incident, silencedBy));
        }
        final AlertmanagerShapes.AlertStatus status = status(incident, silencedBy);
        final Map<String, String> annotations = new LinkedHashMap<>();
        if (incident.title() != null) {
            annotations.put("summary", incident.title());
        }
        if (incident.description() != null) {
            annotations.put("description", incident.description());
        }
        return incident.alerts().stream()
                .filter(MemberAlert::firing)
                .map(m -> new AlertmanagerShapes.Alert(
                        withAlertname(m.labels(), m.alertId()),
                        annotations,
                        m.firstSeen(),
                        m.validUntil() == null ? NO_END : m.validUntil(),
                        m.lastCheckedAt(),
                        fingerprint(m.alertId()),
                        List.of(RECEIVER),
                        status,
                        null))
                .toList();
    }

    /**
     * The labels of the incident's Alertmanager group: a rule's {@code groupLabels}; for the built-in
     * rule of {@code ALERTMANAGER_GROUPS}, the label set Alertmanager grouped by, read back from its
     * {@code groupKey} (the last {@code {…}} of {@code <route>:{alertname="DiskFull", …}}), so the group
     * has the labels Alertmanager shows for it. Null for an incident of one alert.
     */
    static Map<String, String> groupLabels(final Incident incident) {
        if (incident.groupLabels() == null) {
            return null;
        }
        final String key = AlertmanagerGroups.RULE_ID.equals(incident.ruleId())
                ? incident.groupLabels().get(Rule.ALERTMANAGER_GROUP_KEY)
                : null;
        return key == null ? incident.groupLabels() : labelSet(key);
    }

    /** The last top-level {@code {name="value", …}} of an Alertmanager group key, values unquoted. */
    static Map<String, String> labelSet(final String groupKey) {
        int start = -1;
        int from = -1;
        int to = -1;
        boolean quoted = false;
        for (int i = 0; i < groupKey.length(); i++) {
            final char c = groupKey.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '{') {
                start = i;
            } else if (c == '}' && start >= 0) {
                from = start + 1;
                to = i;
                start = -1;
            }
        }
        final Map<String, String> labels = new LinkedHashMap<>();
        if (from < 0) {
            return labels;
        }
        final Matcher m = LABEL.matcher(groupKey.substring(from, to));
        while (m.find()) {
            labels.put(m.group(1), m.group(2).replaceAll("\\\\(.)", "$1"));
        }
        return labels;
    }

    static AlertmanagerShapes.Alert of(final Incident incident, final List<String> silencedBy) {
        return new AlertmanagerShapes.Alert(
                labels(incident),
                annotations(incident),
                incident.createdAt(),
                incident.validUntil() == null ? NO_END : incident.validUntil(),
                incident.updatedAt(),
                fingerprint(incident.alertId() == null ? incident.id() : incident.alertId()),
                List.of(RECEIVER),
                status(incident, silencedBy),
                generatorUrl(incident.reportData()));
    }

    private static AlertmanagerShapes.AlertStatus status(final Incident incident, final List<String> silencedBy) {
        return new AlertmanagerShapes.AlertStatus(
                incident.status() == Status.ACKNOWLEDGED || !silencedBy.isEmpty()
                        ? AlertmanagerShapes.AlertStatus.SUPPRESSED
                        : AlertmanagerShapes.AlertStatus.ACTIVE,
                List.copyOf(silencedBy),
                List.of(),
                List.of());
    }

    /**
     * Whether Alertmanager would still show the alert: it leaves out an alert whose {@code endsAt} has
     * passed, which here is an incident about to expire.
     */
    static boolean current(final AlertmanagerShapes.Alert alert, final Instant now) {
        return alert.endsAt().equals(NO_END) || !alert.endsAt().isBefore(now);
    }

    private static Map<String, String> labels(final Incident incident) {
        return withAlertname(
                incident.labels(),
                incident.alertTemplateId() != null
                        ? incident.alertTemplateId()
                        : incident.alertId() != null ? incident.alertId() : incident.id());
    }

    private static Map<String, String> withAlertname(final Map<String, String> given, final String alertname) {
        final Map<String, String> labels = new LinkedHashMap<>(given);
        labels.putIfAbsent("alertname", alertname);
        return labels;
    }

    private static Map<String, String> annotations(final Incident incident) {
        final Map<String, String> annotations = new LinkedHashMap<>();
        final JsonNode sent =
                incident.reportData() == null ? null : incident.reportData().get("annotations");
        if (sent != null && sent.isObject()) {
            sent.properties().forEach(e -> {
                if (e.getValue().isTextual()) {
                    annotations.put(e.getKey(), e.getValue().asText());
                }
            });
        }
        if (incident.title() != null) {
            annotations.put("summary", incident.title());
        }
        if (incident.description() != null) {
            annotations.put("description", incident.description());
        }
        return annotations;
    }

    static String fingerprint(final String alertId) {
        if (FINGERPRINT.matcher(alertId).matches()) {
            return alertId;
        }
        long hash = FNV_OFFSET_BASIS;
        for (byte b : alertId.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * FNV_PRIME;
        }
        return String.format("%016x", hash);
    }

    /** The sender's {@code generatorURL}, when it is an absolute URI (the schema's {@code format: uri}). */
    private static String generatorUrl(final JsonNode reportData) {
        final JsonNode url = reportData == null ? null : reportData.get("generatorURL");
        if (url == null || !url.isTextual()) {
            return null;
        }
        try {
            return new URI(url.asText()).isAbsolute() ? url.asText() : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
