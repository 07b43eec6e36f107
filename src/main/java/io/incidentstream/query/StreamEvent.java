package io.incidentstream.query;

import io.incidentstream.model.Incident;

/**
 * One record of the incident topic as the live stream sees it: where it sits, the incident id and
 * tenant, the incident as it now is, as list pages show it (without its timeline and member alerts;
 * null when it was deleted), and that incident as JSON, made once
 * for every client the record goes to (with 100 clients, serialising per client cost 7 of every 8
 * ingested events; see the benchmark's live scenario).
 */
public record StreamEvent(int partition, long offset, String id, String tenant, Incident incident, String json) {

    /** A deletion: no incident, no JSON. */
    public static StreamEvent deleted(final int partition, final long offset, final String id, final String tenant) {
        return new StreamEvent(partition, offset, id, tenant, null, null);
    }

    public boolean deleted() {
        return incident == null;
    }
}
