package io.incidentstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.codec.Json;
import io.incidentstream.errors.BadRequestException;
import io.incidentstream.model.LabelMatcher;
import io.incidentstream.silence.PostableSilence;
import io.incidentstream.silence.SilenceService;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Alertmanager's API v2 silences: {@code POST /api/v2/silences}, {@code GET /api/v2/silences}
 * ({@code filter} matchers), {@code GET} and {@code DELETE /api/v2/silence/{id}}; HTTP I/O only.
 */
final class SilenceController {
    private static final int MAX_FILTERS = 64;

    private final SilenceService silences;

    SilenceController(final SilenceService silences) {
        this.silences = silences;
    }

    void post(final Context ctx) {
        final JsonNode body;
        try {
            body = Json.mapper().readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            throw new BadRequestException("the body is not valid JSON");
        }
        ctx.json(Map.of("silenceID", silences.upsert(Tenants.of(ctx), PostableSilence.parse(body))));
    }

    void list(final Context ctx) {
        final Map<String, List<String>> params = QueryStrings.parse(ctx.queryString());
        for (String name : params.keySet()) {
            if (!name.equals("filter")) {
                throw new BadRequestException("unknown query parameter; known: [filter]");
            }
        }
        final List<String> texts = params.getOrDefault("filter", List.of());
        if (texts.size() > MAX_FILTERS) {
            throw new BadRequestException("at most " + MAX_FILTERS + " filter matchers");
        }
        final List<LabelMatcher> filter = new ArrayList<>();
        for (String text : texts) {
            try {
                filter.add(LabelMatcher.parse(text));
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("filter: " + e.getMessage());
            }
        }
        ctx.json(silences.list(Tenants.of(ctx), filter));
    }

    void get(final Context ctx) {
        ctx.json(silences.get(Tenants.of(ctx), ctx.pathParam("id")));
    }

    void delete(final Context ctx) {
        silences.expire(Tenants.of(ctx), ctx.pathParam("id"));
        ctx.status(200);
    }
}
