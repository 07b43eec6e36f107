package io.incidentstream.http;

import io.incidentstream.codec.Json;
import io.incidentstream.errors.BadRequestException;
import io.incidentstream.grouping.GroupingRule;
import io.incidentstream.query.GroupingPreviews;
import io.incidentstream.query.GroupingRules;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.util.Map;

/** {@code /rules/grouping}: HTTP I/O only; {@link GroupingRules} does the work. */
final class GroupingRuleController {
    static final String PATH = "/rules/grouping";
    static final String PREVIEW_PATH = PATH + "/preview";

    private final GroupingRules rules;

    GroupingRuleController(final GroupingRules rules) {
        this.rules = rules;
    }

    void list(final Context ctx) {
        ctx.json(Map.of("data", rules.list(Tenants.of(ctx))));
    }

    void get(final Context ctx) {
        ctx.json(rules.get(Tenants.of(ctx), ctx.pathParam("id")));
    }

    void put(final Context ctx) {
        ctx.json(rules.put(Tenants.of(ctx), ctx.pathParam("id"), body(ctx)));
    }

    void delete(final Context ctx) {
        rules.delete(Tenants.of(ctx), ctx.pathParam("id"));
        ctx.status(204);
    }

    /** {@code POST /rules/grouping/preview}: what a rule would have made of the recent alerts; changes nothing. */
    record Preview(GroupingPreviews previews) implements Handler {
        @Override
        public void handle(final Context ctx) {
            final GroupingPreviews.Request request;
            try {
                request = Json.mapper().readValue(ctx.bodyAsBytes(), GroupingPreviews.Request.class);
            } catch (IOException e) {
                throw new BadRequestException("body: not a preview request {\"rule\": {…}, \"from\", \"to\"} as JSON ("
                        + firstLine(e.getMessage()) + ")");
            }
            ctx.json(previews.preview(Tenants.of(ctx), request));
        }
    }

    private static GroupingRule body(final Context ctx) {
        try {
            return Json.mapper().readValue(ctx.bodyAsBytes(), GroupingRule.class);
        } catch (IOException e) {
            throw new BadRequestException("body: not a grouping rule as JSON (" + firstLine(e.getMessage()) + ")");
        }
    }

    private static String firstLine(final String s) {
        if (s == null) {
            return "unreadable";
        }
        final int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
