package io.incidentstream.topology;

import io.incidentstream.model.Incident;
import io.incidentstream.model.Lifecycle;
import io.incidentstream.model.TimelineEntry;

/**
 * What the incident processor emits for each state change: the new state (the last one when
 * {@code deleted}), what kind of change it was ({@code opened}, {@code folded}, {@code updated},
 * {@code deleted} …), and the timeline entry, if the change has one.
 */
record IncidentChange(Incident incident, String type, TimelineEntry transition, boolean deleted) {

    static IncidentChange of(final Lifecycle.Result result) {
        return new IncidentChange(
                result.incident(),
                result.outcome().name().toLowerCase(java.util.Locale.ROOT),
                result.transition(),
                false);
    }
}
