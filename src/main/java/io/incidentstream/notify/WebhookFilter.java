package io.incidentstream.notify;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.incidentstream.model.Incident;
import io.incidentstream.model.LabelMatcher;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Status;
import java.util.List;

/**
 * Which incidents a subscription hears about: any of {@code severity}, any of {@code status} (the
 * status after the change), and every label matcher ({@code service=checkout}, {@code env=~prod-.*},
 * as {@code GET /incidents?label=} takes them). An empty list does not filter.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record WebhookFilter(List<Severity> severity, List<Status> status, List<String> labels) {
    public static final WebhookFilter NONE = new WebhookFilter(List.of(), List.of(), List.of());

    public WebhookFilter {
        severity = severity == null ? List.of() : List.copyOf(severity);
        status = status == null ? List.of() : List.copyOf(status);
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    /** Whether the incident, as it is after the change, passes the filter; a deleted one has no incident and always passes. */
    public boolean matches(final Incident incident) {
        if (incident == null) {
            return true;
        }
        if (!severity.isEmpty() && !severity.contains(incident.severity())) {
            return false;
        }
        if (!status.isEmpty() && !status.contains(incident.status())) {
            return false;
        }
        for (String label : labels) {
            if (!LabelMatcher.parse(label).matches(incident.labels())) {
                return false;
            }
        }
        return true;
    }
}
