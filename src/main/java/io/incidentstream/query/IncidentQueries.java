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
}
