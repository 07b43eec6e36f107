package io.incidentstream.topology;

import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.IncidentCommand;

/** What the incident processor consumes: an alert event or an API command, never both. */
record Input(AlertEvent alert, IncidentCommand command) {

    static Input of(final AlertEvent alert) {
        return new Input(alert, null);
    }

    static Input of(final IncidentCommand command) {
        return new Input(null, command);
    }
}
