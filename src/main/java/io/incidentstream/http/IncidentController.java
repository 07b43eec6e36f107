package io.incidentstream.http;

import io.incidentstream.query.IncidentQueries;
import io.incidentstream.query.ListQueryParser;
import io.javalin.http.Context;

/** {@code GET /incidents} and {@code GET /incidents/{id}}: HTTP in and out, nothing else. */
final class IncidentController {
    private final IncidentQueries queries;

    IncidentController(final IncidentQueries queries) {
        this.queries = queries;
    }

    void list(final Context ctx) {
        ctx.json(queries.list(ListQueryParser.parse(Tenants.of(ctx), QueryStrings.parse(ctx.queryString()))));
    }

    void get(final Context ctx) {
        ctx.json(queries.get(Tenants.of(ctx), ctx.pathParam("id")));
    }
}
