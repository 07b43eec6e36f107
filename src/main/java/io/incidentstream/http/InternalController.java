package io.incidentstream.http;

import io.incidentstream.cluster.PeerProtocol;
import io.incidentstream.errors.BadRequestException;
import io.incidentstream.errors.NotFoundException;
import io.incidentstream.model.CommandResult;
import io.incidentstream.model.Incident;
import io.incidentstream.query.ListQuery;
import io.incidentstream.query.ListQueryParser;
import io.incidentstream.query.LocalIncidentQueries;
import io.incidentstream.query.LocalSummaries;
import io.incidentstream.query.Stale;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Instance-to-instance endpoints under {@value PeerProtocol#PREFIX}: this instance's own part of a list, and
 * a get from its own stores; with {@value PeerProtocol#STANDBY_PARAM}, from its standby copies instead. Never scatter again from here (no loops). Guarded by {@link PeerAuth}.
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
        final List<String> standby = params.remove(PeerProtocol.STANDBY_PARAM);
        final ListQuery query = ListQueryParser.parse(tenant, params);
        ctx.json(standby == null ? local.page(query) : local.standbyPage(query, partitions(standby)));
    }

    /** The partitions a standby page is asked for: {@code standby=0,3,5}. */
    private static Set<Integer> partitions(final List<String> values) {
        if (values.size() != 1 || !values.get(0).matches("\\d{1,5}(,\\d{1,5}){0,999}")) {
            throw new BadRequestException("standby names the partitions to read, comma-separated");
        }
        final Set<Integer> partitions = new TreeSet<>();
        for (String p : values.get(0).split(",", -1)) {
            partitions.add(Integer.parseInt(p));
        }
        return partitions;
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
        final Map<String, List<String>> params = QueryStrings.parse(ctx.queryString());
        final String tenant = tenant(params.get(PeerProtocol.TENANT_PARAM));
        if (params.containsKey(PeerProtocol.STANDBY_PARAM)) {
            final Stale<Incident> stale = local.standbyGet(tenant, ctx.pathParam("id"));
            ctx.header(PeerProtocol.STALENESS_HEADER, Long.toString(stale.staleness()));
            ctx.json(stale.value());
            return;
        }
        ctx.json(local.get(tenant, ctx.pathParam("id")));
    }

    private static String tenant(final List<String> values) {
        if (values == null || values.size() != 1 || values.get(0).isBlank()) {
            throw new BadRequestException("internal calls name exactly one tenant");
        }
        return values.get(0);
    }
}
