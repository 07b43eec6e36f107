package io.incidentstream.http;

import io.incidentstream.errors.BadRequestException;
import io.incidentstream.model.Incident;
import io.incidentstream.query.IncidentQueries;
import io.incidentstream.query.ListQueryParser;
import io.incidentstream.query.MemberPages;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /incidents} and {@code GET /incidents/{id}}: HTTP in and out, nothing else. */
final class IncidentController {
    private final IncidentQueries queries;

    IncidentController(final IncidentQueries queries) {
        this.queries = queries;
    }

    void list(final Context ctx) {
        ctx.json(queries.list(ListQueryParser.parse(Tenants.of(ctx), QueryStrings.parse(ctx.queryString()))));
    }

    /** {@code GET /incidents/{id}/alerts}: the members of a grouped incident, a page at a time. */
    void members(final Context ctx) {
        final Incident incident = queries.get(Tenants.of(ctx), ctx.pathParam("id"));
        final String limit = ctx.queryParam("limit");
        final int n;
        try {
            n = limit == null ? MemberPages.DEFAULT_LIMIT : Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw new BadRequestException("limit: must be a number between 1 and " + MemberPages.MAX_LIMIT);
        }
        final MemberPages.Page page = MemberPages.page(incident, n, ctx.queryParam("nextToken"));
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", page.data());
        body.put("memberCount", page.memberCount());
        if (page.nextToken() != null) {
            body.put("nextToken", page.nextToken());
        }
        ctx.json(body);
    }

    void get(final Context ctx) {
        ctx.json(queries.get(Tenants.of(ctx), ctx.pathParam("id")));
    }
}
