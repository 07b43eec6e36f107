package io.incidentstream.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A status transition of an incident, as written to topic {@code incident-events} (key: incident
 * id). {@code type} says what happened: opened, resolved, reopened, expired, created, updated,
 * deleted, purged. {@code incident} is the incident right after the transition, without its
 * timeline: what webhook subscribers are sent, so that they need not ask for it (it may be gone).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IncidentEvent(
        String incidentId,
        String tenantId,
        String alertId,
        String type,
        Instant at,
        Status from,
        Status to,
        String source,
        String actor,
        String note,
        Incident incident) {

    /** An event without the incident (records written before it was carried, and tests). */
    public IncidentEvent(
            final String incidentId,
            final String tenantId,
            final String alertId,
            final String type,
            final Instant at,
            final Status from,
            final Status to,
            final String source,
            final String actor,
            final String note) {
        this(incidentId, tenantId, alertId, type, at, from, to, source, actor, note, null);
    }

    public static IncidentEvent of(final Incident incident, final String type, final TimelineEntry t) {
        return new IncidentEvent(
                incident.id(),
                incident.tenantId(),
                incident.alertId(),
                type,
                t.at(),
                t.from(),
                t.to(),
                t.source(),
                t.actor(),
                t.note(),
                incident.withoutTimeline());
    }

    /** The same event without the incident, for comparisons of what happened. */
    public IncidentEvent withoutIncident() {
        return new IncidentEvent(incidentId, tenantId, alertId, type, at, from, to, source, actor, note);
    }
}
