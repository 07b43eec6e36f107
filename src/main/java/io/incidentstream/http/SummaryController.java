package io.incidentstream.http;

import io.incidentstream.query.ClusterSummaries;
import io.incidentstream.query.SummaryQuery;
import io.javalin.http.Context;

/** {@code GET /incidents/summary}: HTTP in and out, nothing else. */
final class SummaryController {
    static final String PATH = "/incidents/summary";

    private final ClusterSummaries summaries;

    SummaryController(final ClusterSummaries summaries) {
        this.summaries = summaries;
    }

    void summary(final Context ctx) {
        ctx.json(summaries.summary(SummaryQuery.parse(Tenants.of(ctx), QueryStrings.parse(ctx.queryString()))));
    }
}
