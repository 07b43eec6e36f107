package io.incidentstream.query;

import io.incidentstream.model.Incident;

/**
 * One record of the incident topic as the live stream sees it: where it sits, the incident id and
 * tenant, and the incident as it now is, or null when it was deleted.
 */
public record StreamEvent(int partition, long offset, String id, String tenant, Incident incident) {

    public boolean deleted() {
        return incident == null;
    }
}
