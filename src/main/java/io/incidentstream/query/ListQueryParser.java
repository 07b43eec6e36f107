package io.incidentstream.query;

import io.incidentstream.errors.BadRequestException;
import io.incidentstream.model.LabelMatcher;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Source;
import io.incidentstream.model.Status;
import io.incidentstream.model.Texts;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns the query string of {@code GET /incidents} into a {@link ListQuery}. Every problem is a
 * {@link BadRequestException} naming the parameter; unknown parameters are refused too, so that a
 * typo ({@code stauts=RESOLVED}) is not silently an unfiltered list.
 */
public final class ListQueryParser {
    private static final Set<String> KNOWN = Set.of(
            "status",
            "severity",
            "alertId",
            "alertTemplateId",
            "source",
            "createdAfter",
            "createdBefore",
            "label",
            "sort",
            "order",
            "limit",
            "nextToken",
            "includeCount",
            "silenced");
    private static final int MAX_VALUE_LENGTH = 1024;
    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    private ListQueryParser() {}

    public static ListQuery parse(final String tenant, final Map<String, List<String>> params) {
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            if (!KNOWN.contains(e.getKey())) {
                throw new BadRequestException("unknown query parameter '" + Texts.abbreviate(e.getKey()) + "'; known: "
                        + new java.util.TreeSet<>(KNOWN));
            }
            for (String v : e.getValue()) {
                if (v.length() > MAX_VALUE_LENGTH) {
                    throw new BadRequestException(e.getKey() + " is longer than " + MAX_VALUE_LENGTH + " characters");
                }
            }
        }
        final ListQuery q = new ListQuery(
                tenant,
                enums(params, "status", Status.class, Status::parse),
                enums(params, "severity", Severity.class, Severity::parse),
                single(params, "alertId"),
                single(params, "alertTemplateId"),
                parseOrNull(params, "source", Source::parse),
                time(params, "createdAfter"),
                time(params, "createdBefore"),
                labels(params.getOrDefault("label", List.of())),
                sort(single(params, "sort")),
                order(single(params, "order")),
                limit(single(params, "limit")),
                bool(params, "includeCount"),
                single(params, "nextToken"),
                single(params, "silenced") == null ? null : bool(params, "silenced"));
        if (q.createdAfter() != null
                && q.createdBefore() != null
                && !q.createdAfter().isBefore(q.createdBefore())) {
            throw new BadRequestException("createdAfter must be before createdBefore");
        }
        return q;
    }

    private static List<LabelMatcher> labels(final List<String> values) {
        if (values.size() > ListQuery.MAX_LABEL_MATCHERS) {
            throw new BadRequestException("label may be given at most " + ListQuery.MAX_LABEL_MATCHERS + " times");
        }
        final List<LabelMatcher> matchers = new ArrayList<>();
        for (String v : values) {
            try {
                matchers.add(LabelMatcher.parse(v));
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("label: " + e.getMessage());
            }
        }
        return matchers;
    }

    private static <E extends Enum<E>> Set<E> enums(
            final Map<String, List<String>> params,
            final String name,
            final Class<E> type,
            final Function<String, E> parse) {
        final Set<E> values = EnumSet.noneOf(type);
        for (String raw : params.getOrDefault(name, List.of())) {
            for (String part : raw.split(",", -1)) {
                if (part.isBlank()) {
                    throw new BadRequestException(name + " has an empty value");
                }
                try {
                    values.add(parse.apply(part));
                } catch (IllegalArgumentException e) {
                    throw new BadRequestException(e.getMessage());
                }
            }
        }
        return values;
    }

    private static <T> T parseOrNull(
            final Map<String, List<String>> params, final String name, final Function<String, T> parse) {
        final String v = single(params, name);
        try {
            return v == null ? null : parse.apply(v);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    private static String single(final Map<String, List<String>> params, final String name) {
        final List<String> values = params.getOrDefault(name, List.of());
        if (values.size() > 1) {
            throw new BadRequestException(name + " may be given only once");
        }
        if (values.isEmpty()) {
            return null;
        }
        if (values.get(0).isBlank()) {
            throw new BadRequestException(name + " is empty");
        }
        return values.get(0);
    }

    private static Instant time(final Map<String, List<String>> params, final String name) {
        final String v = single(params, name);
        if (v == null) {
            return null;
        }
        final Instant at;
        try {
            at = OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadRequestException(
                    name + " must be an ISO-8601 date-time with offset, e.g. 2026-01-01T00:00:00Z");
        }
        if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
            throw new BadRequestException(name + " must lie between years 0 and 9999");
        }
        return at;
    }

    private static Sort sort(final String v) {
        if (v == null || v.equalsIgnoreCase("createdAt")) {
            return Sort.CREATED_AT;
        }
        if (v.equalsIgnoreCase("updatedAt")) {
            return Sort.UPDATED_AT;
        }
        throw new BadRequestException("sort must be createdAt or updatedAt");
    }

    private static boolean order(final String v) {
        if (v == null) {
            return true;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "desc" -> true;
            case "asc" -> false;
            default -> throw new BadRequestException("order must be asc or desc");
        };
    }

    private static int limit(final String v) {
        if (v == null) {
            return ListQuery.DEFAULT_LIMIT;
        }
        try {
            final int limit = Integer.parseInt(v);
            if (limit >= 1 && limit <= ListQuery.MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadRequestException("limit must be an integer from 1 to " + ListQuery.MAX_LIMIT);
    }

    private static boolean bool(final Map<String, List<String>> params, final String name) {
        final String v = single(params, name);
        if (v == null) {
            return false;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new BadRequestException(name + " must be true or false");
        };
    }
}
