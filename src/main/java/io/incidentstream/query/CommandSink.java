package io.incidentstream.query;

import io.incidentstream.model.IncidentCommand;

/** Where API writes go: topic {@code incident-commands}, on the partition of the incident they change. */
public interface CommandSink {

    /**
     * Writes the command to {@code partition} and returns once the broker acknowledged it.
     *
     * @throws io.incidentstream.errors.UnavailableException when the broker does not acknowledge in time
     */
    void send(int partition, IncidentCommand command);
}
