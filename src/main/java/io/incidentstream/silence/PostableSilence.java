package io.incidentstream.silence;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.errors.BadRequestException;
import io.incidentstream.model.LabelMatcher;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /api/v2/silences}, Alertmanager's {@code postableSilence} plus an optional
 * {@code recurrence}, validated: every problem is a {@link BadRequestException} naming it.
 *
 * @param id null for a new silence, else the silence to update
 */
public record PostableSilence(
        String id,
        List<SilenceMatcher> matchers,
        Instant startsAt,
        Instant endsAt,
        String createdBy,
        String comment,
        Recurrence recurrence,
        Map<String, String> annotations) {

    /** Matchers one silence may have at most. */
    public static final int MAX_MATCHERS = 64;

    private static final int MAX_VALUE_CHARS = 1024;
    private static final int MAX_COMMENT_CHARS = 4096;
    private static final int MAX_CREATED_BY_CHARS = 256;

    public PostableSilence {
        matchers = List.copyOf(matchers);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /** A body without annotations. */
    public PostableSilence(
            final String id,
            final List<SilenceMatcher> matchers,
            final Instant startsAt,
            final Instant endsAt,
            final String createdBy,
            final String comment,
            final Recurrence recurrence) {
        this(id, matchers, startsAt, endsAt, createdBy, comment, recurrence, Map.of());
    }

    public static PostableSilence parse(final JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new BadRequestException("the body must be a JSON object (a postableSilence)");
        }
        final JsonNode id = body.get("id");
        final String silenceId = id == null || id.isNull() || id.asText().isEmpty() ? null : id.asText();
        final List<SilenceMatcher> matchers = matchers(body.get("matchers"));
        final Instant startsAt = instant(body, "startsAt");
        final Instant endsAt = instant(body, "endsAt");
        final Recurrence recurrence;
        try {
            final JsonNode r = body.get("recurrence");
            recurrence = r == null || r.isNull() ? null : Recurrence.fromJson(r);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new BadRequestException(e.getMessage());
        }
        if (!startsAt.isBefore(endsAt)) {
            throw new BadRequestException("start time must be before end time");
        }
        return new PostableSilence(
                silenceId,
                matchers,
                startsAt,
                endsAt,
                text(body, "createdBy", MAX_CREATED_BY_CHARS),
                text(body, "comment", MAX_COMMENT_CHARS),
                recurrence,
                annotations(body.get("annotations")));
    }

    private static List<SilenceMatcher> matchers(final JsonNode list) {
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new BadRequestException("matchers: at least one matcher is required");
        }
        if (list.size() > MAX_MATCHERS) {
            throw new BadRequestException("matchers: at most " + MAX_MATCHERS + " per silence");
        }
        final List<SilenceMatcher> out = new ArrayList<>();
        boolean selective = false;
        for (JsonNode m : list) {
            if (!m.isObject() || !m.path("name").isTextual() || !m.path("value").isTextual()) {
                throw new BadRequestException("matchers: each needs a string name and value");
            }
            if (m.get("value").asText().length() > MAX_VALUE_CHARS) {
                throw new BadRequestException("matchers: a value is longer than " + MAX_VALUE_CHARS + " characters");
            }
            final SilenceMatcher matcher = new SilenceMatcher(
                    m.get("name").asText(),
                    m.get("value").asText(),
                    bool(m, "isRegex", false),
                    bool(m, "isEqual", true));
            final LabelMatcher compiled;
            try {
                compiled = matcher.compile();
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("matchers: " + e.getMessage());
            }
            selective |= !compiled.matches(Map.of());
            out.add(matcher);
        }
        if (!selective) {
            // as Alertmanager: a silence all of whose matchers match an empty label set would mute everything
            throw new BadRequestException("matchers: at least one matcher must not match the empty string");
        }
        return out;
    }

    private static Map<String, String> annotations(final JsonNode map) {
        if (map == null || map.isNull()) {
            return Map.of();
        }
        if (!map.isObject() || map.size() > MAX_MATCHERS) {
            throw new BadRequestException("annotations must be an object of at most " + MAX_MATCHERS + " strings");
        }
        final Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            if (!e.getValue().isTextual() || e.getValue().asText().length() > MAX_VALUE_CHARS) {
                throw new BadRequestException("annotations: " + abbreviate(e.getKey()) + " must be a string of at most "
                        + MAX_VALUE_CHARS + " characters");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static boolean bool(final JsonNode m, final String field, final boolean absent) {
        final JsonNode v = m.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isBoolean()) {
            throw new BadRequestException("matchers: " + field + " must be true or false");
        }
        return v.asBoolean();
    }

    private static Instant instant(final JsonNode body, final String field) {
        final JsonNode v = body.get(field);
        if (v == null || !v.isTextual()) {
            throw new BadRequestException(field + " is required (an RFC 3339 date-time)");
        }
        try {
            return java.time.OffsetDateTime.parse(v.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadRequestException(field + " is not an RFC 3339 date-time: " + abbreviate(v.asText()));
        }
    }

    private static String text(final JsonNode body, final String field, final int max) {
        final JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new BadRequestException(field + " is required");
        }
        if (v.asText().length() > max) {
            throw new BadRequestException(field + " is longer than " + max + " characters");
        }
        return v.asText();
    }

    private static String abbreviate(final String s) {
        return io.incidentstream.model.Texts.abbreviate(s);
    }
}
