package io.incidentstream.http;

import io.incidentstream.query.AlertmanagerFilter;
import io.incidentstream.query.AlertmanagerReads;
import io.incidentstream.query.AlertmanagerShapes;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * Alertmanager's API v2 read side ({@code GET /api/v2/alerts}, {@code /alerts/groups}, {@code /status},
 * {@code /receivers}), so amtool, Karma and Grafana's Alertmanager data source read our incidents; HTTP
 * I/O only, the answers are {@link AlertmanagerReads}'. An answer cut at its bound says so in
 * {@value #TRUNCATED}.
 */
final class AlertmanagerReadController {
    /** Set to {@code true} on an answer that stopped at its bound before reading every open incident. */
    static final String TRUNCATED = "Incident-Stream-Truncated";

    private final AlertmanagerReads reads;

    AlertmanagerReadController(final AlertmanagerReads reads) {
        this.reads = reads;
    }

    void alerts(final Context ctx) {
        answer(ctx, reads.alerts(AlertmanagerFilter.forAlerts(Tenants.of(ctx), params(ctx))));
    }

    void groups(final Context ctx) {
        answer(ctx, reads.groups(AlertmanagerFilter.forGroups(Tenants.of(ctx), params(ctx))));
    }

    void receivers(final Context ctx) {
        ctx.json(reads.receivers(AlertmanagerFilter.forReceivers(Tenants.of(ctx), params(ctx))));
    }

    void status(final Context ctx) {
        QueryStrings.requireNone(ctx.queryString());
        ctx.json(reads.status());
    }

    private static Map<String, List<String>> params(final Context ctx) {
        return QueryStrings.parse(ctx.queryString());
    }

    private static void answer(final Context ctx, final AlertmanagerShapes.Bounded<?> bounded) {
        if (bounded.truncated()) {
            ctx.header(TRUNCATED, "true");
        }
        ctx.json(bounded.items());
    }
}
