package io.incidentstream.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.incidentstream.cluster.PeerProtocol;
import io.incidentstream.codec.Json;
import io.incidentstream.errors.BadRequestException;
import io.incidentstream.model.Incident;
import io.incidentstream.query.IncidentPage;
import io.incidentstream.query.IncidentQueries;
import io.incidentstream.query.ListQueryParser;
import io.incidentstream.query.MemberPages;
import io.incidentstream.query.Stale;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /incidents} and {@code GET /incidents/{id}}: HTTP in and out, nothing else. Each incident
 * is shown with its silences ({@link ShownIncidents}). An answer read partly from standby copies carries
 * {@code X-Incident-Staleness}.
 */
final class IncidentController {
    private final IncidentQueries queries;
    private final ShownIncidents shown;

    IncidentController(final IncidentQueries queries, final ShownIncidents shown) {
        this.queries = queries;
        this.shown = shown;
    }

    void list(final Context ctx) {
        final IncidentPage page =
                queries.list(ListQueryParser.parse(Tenants.of(ctx), QueryStrings.parse(ctx.queryString())));
        staleness(ctx, page.staleness());
        final ObjectNode body = Json.mapper().valueToTree(page);
        final ArrayNode data = body.putArray("data");
        final Instant now = shown.now();
        page.data().forEach(i -> data.add(shown.shown(i, now)));
        ctx.json(body);
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
        final Stale<Incident> incident = queries.getStale(Tenants.of(ctx), ctx.pathParam("id"));
        staleness(ctx, incident.staleness());
        ctx.json(shown.shown(incident.value()));
    }

    /** Part of the answer came from a standby copy: how many records it may lag behind the active. */
    private static void staleness(final Context ctx, final Long staleness) {
        if (staleness != null) {
            ctx.header(PeerProtocol.STALENESS_HEADER, Long.toString(staleness));
        }
    }
}
