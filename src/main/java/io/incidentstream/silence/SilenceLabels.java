package io.incidentstream.silence;

import io.incidentstream.model.Incident;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The labels silence matchers see for an incident: its own labels, plus {@code alertname} (when it has
 * none: the {@code alertTemplateId}, else the {@code alertId}, else the incident id, as Alertmanager's
 * read API shows it), {@code alertId} and {@code severity} (the incident's, lower case) where the labels
 * do not already name them.
 */
public final class SilenceLabels {
    private SilenceLabels() {}

    public static Map<String, String> of(final Incident incident) {
        final Map<String, String> labels = new HashMap<>(incident.labels());
        final String alertId = incident.alertId() != null ? incident.alertId() : incident.id();
        labels.putIfAbsent("alertname", incident.alertTemplateId() != null ? incident.alertTemplateId() : alertId);
        labels.putIfAbsent("alertId", alertId);
        if (incident.severity() != null) {
            labels.putIfAbsent("severity", incident.severity().name().toLowerCase(Locale.ROOT));
        }
        return labels;
    }
}
