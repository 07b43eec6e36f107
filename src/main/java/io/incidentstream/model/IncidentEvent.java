package io.incidentstream.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A status transition of an incident, as written to topic {@code incident-events} (key: incident
 * id). {@code type} says what happened: opened, resolved, reopened, expired.
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
        String note) {

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
                t.note());
    }
}
