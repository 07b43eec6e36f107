package io.incidentstream.http;

import io.incidentstream.cluster.PeerProtocol;
import io.incidentstream.model.Incident;
import io.incidentstream.query.IncidentPage;
import io.incidentstream.query.IncidentQueries;
import io.incidentstream.query.ListQueryParser;
import io.incidentstream.query.Stale;
import io.javalin.http.Context;

/**
 * {@code GET /incidents} and {@code GET /incidents/{id}}: HTTP in and out, nothing else. An answer
 * read partly from standby copies carries {@code X-Incident-Staleness}.
 */
final class IncidentController {
    private final IncidentQueries queries;

    IncidentController(final IncidentQueries queries) {
        this.queries = queries;
    }

    void list(final Context ctx) {
        final IncidentPage page =
                queries.list(ListQueryParser.parse(Tenants.of(ctx), QueryStrings.parse(ctx.queryString())));
        staleness(ctx, page.staleness());
        ctx.json(page);
    }

    void get(final Context ctx) {
        final Stale<Incident> incident = queries.getStale(Tenants.of(ctx), ctx.pathParam("id"));
        staleness(ctx, incident.staleness());
        ctx.json(incident.value());
    }

    /** Part of the answer came from a standby copy: how many records it may lag behind the active. */
    private static void staleness(final Context ctx, final Long staleness) {
        if (staleness != null) {
            ctx.header(PeerProtocol.STALENESS_HEADER, Long.toString(staleness));
        }
    }
}
