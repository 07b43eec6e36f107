package io.incidentstream.http;

import io.incidentstream.cluster.PeerProtocol;
import io.incidentstream.errors.BadRequestException;
import io.incidentstream.errors.NotFoundException;
import io.incidentstream.model.CommandResult;
import io.incidentstream.query.ListQueryParser;
import io.incidentstream.query.LocalIncidentQueries;
import io.incidentstream.query.LocalSummaries;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Instance-to-instance endpoints under {@value PeerProtocol#PREFIX}: this instance's own part of a list, and
 * a get from its own stores. Never scatter again from here (no loops). Guarded by {@link PeerAuth}.
 * The caller's tenant travels as the {@code tenant} parameter, trusted only because the peer
 * credential was checked.
 */
final class InternalController {

    private final LocalIncidentQueries local;
    private final LocalSummaries summaries;

    InternalController(final LocalIncidentQueries local, final LocalSummaries summaries) {
        this.local = local;
        this.summaries = summaries;
    }

    /** This instance's part of a summary: {@code from} in epoch milliseconds. */
    void summary(final Context ctx) {
        final Map<String, List<String>> params = QueryStrings.parse(ctx.queryString());
        final List<String> from = params.get("from");
        if (from == null || from.size() != 1 || !from.get(0).matches("-?\\d{1,15}")) {
            throw new BadRequestException("from is required");
        }
        ctx.json(summaries.summary(
                tenant(params.get(PeerProtocol.TENANT_PARAM)), Instant.ofEpochMilli(Long.parseLong(from.get(0)))));
    }

    void page(final Context ctx) {
        final Map<String, List<String>> params = QueryStrings.parse(ctx.queryString());
        final String tenant = tenant(params.remove(PeerProtocol.TENANT_PARAM));
        ctx.json(local.page(ListQueryParser.parse(tenant, params)));
    }

    void commandResult(final Context ctx) {
        final Map<String, List<String>> params = QueryStrings.parse(ctx.queryString());
        final List<String> partition = params.get("partition");
        if (partition == null || partition.size() != 1 || !partition.get(0).matches("\\d{1,5}")) {
            throw new BadRequestException("partition is required");
        }
        final CommandResult result =
                local.commandResult(Integer.parseInt(partition.get(0)), ctx.pathParam("commandId"));
        if (result == null) {
            throw new NotFoundException("command not applied here (yet)");
        }
        ctx.json(result);
    }

    void get(final Context ctx) {
        final String tenant = tenant(QueryStrings.parse(ctx.queryString()).get(PeerProtocol.TENANT_PARAM));
        ctx.json(local.get(tenant, ctx.pathParam("id")));
    }

    private static String tenant(final List<String> values) {
        if (values == null || values.size() != 1 || values.get(0).isBlank()) {
            throw new BadRequestException("internal calls name exactly one tenant");
        }
        return values.get(0);
    }
}
