package io.incidentstream.query;

import io.incidentstream.model.Incident;

/** What the HTTP layer may ask about incidents; knows nothing of HTTP. */
public interface IncidentQueries {

    IncidentPage list(ListQuery query);

    /**
     * The incident with its timeline.
     *
     * @throws io.incidentstream.errors.NotFoundException when there is none for this tenant
     */
    Incident get(String tenant, String id);

    /**
     * {@link #get}, and how stale the answer is when a standby copy gave it (its owner was away).
     *
     * @throws io.incidentstream.errors.NotFoundException when there is none for this tenant
     */
    default Stale<Incident> getStale(final String tenant, final String id) {
        return Stale.fresh(get(tenant, id));
    }
}
