package io.incidentstream.topology;

import io.incidentstream.model.Incident;
import io.incidentstream.model.Lifecycle;
import io.incidentstream.model.TimelineEntry;

/** What the incident processor emits for each state change: the new state and the transition, if any. */
record IncidentChange(Incident incident, Lifecycle.Outcome outcome, TimelineEntry transition) {
}
