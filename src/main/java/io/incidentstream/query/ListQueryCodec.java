package io.incidentstream.query;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes a {@link ListQuery} back as the query string {@link ListQueryParser} reads, so a peer
 * parses and validates exactly what the coordinator did: {@code parse(toQueryString(q))} equals q.
 */
public final class ListQueryCodec {
    private ListQueryCodec() {}

    public static String toQueryString(final ListQuery q) {
        final List<String> params = new ArrayList<>();
        if (!q.statuses().isEmpty()) {
            params.add(param(
                    "status", q.statuses().stream().map(Enum::name).sorted().collect(Collectors.joining(","))));
        }
        if (!q.severities().isEmpty()) {
            params.add(param(
                    "severity", q.severities().stream().map(Enum::name).sorted().collect(Collectors.joining(","))));
        }
        add(params, "alertId", q.alertId());
        add(params, "alertTemplateId", q.alertTemplateId());
        add(params, "source", q.source() == null ? null : q.source().name());
        add(
                params,
                "createdAfter",
                q.createdAfter() == null ? null : q.createdAfter().toString());
        add(
                params,
                "createdBefore",
                q.createdBefore() == null ? null : q.createdBefore().toString());
        q.labels().forEach(m -> params.add(param("label", m.toString())));
        params.add(param("sort", q.sort() == Sort.CREATED_AT ? "createdAt" : "updatedAt"));
        params.add(param("order", q.descending() ? "desc" : "asc"));
        params.add(param("limit", Integer.toString(q.limit())));
        if (q.includeCount()) {
            params.add(param("includeCount", "true"));
        }
        add(params, "nextToken", q.nextToken());
        add(params, "silenced", q.silenced() == null ? null : q.silenced().toString());
        return String.join("&", params);
    }

    private static void add(final List<String> params, final String name, final String value) {
        if (value != null) {
            params.add(param(name, value));
        }
    }

    private static String param(final String name, final String value) {
        return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
