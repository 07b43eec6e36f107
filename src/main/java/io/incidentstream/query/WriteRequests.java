package io.incidentstream.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.errors.BadRequestException;
import io.incidentstream.model.IncidentCommand;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Status;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Validates the JSON bodies of {@code POST /incidents} and {@code PATCH /incidents/{id}} into
 * commands. Strict: unknown fields are a 400 (a misspelt {@code asignee} must not be a silent
 * no-op), types and enums are checked, sizes are bounded.
 */
public final class WriteRequests {
    private static final Set<String> CREATE_FIELDS =
            Set.of("title", "severity", "description", "assignee", "labels", "status", "note");
    private static final Set<String> UPDATE_FIELDS =
            Set.of("status", "severity", "title", "description", "assignee", "note");
    private static final int MAX_TEXT = 1024;
    private static final int MAX_DESCRIPTION = 16 * 1024;
    private static final int MAX_LABELS = 64;

    private WriteRequests() {}

    public static IncidentCommand create(
            final JsonNode body, final String commandId, final String tenant, final String actor, final Instant at) {
        requireObject(body, CREATE_FIELDS);
        final String title = text(body, "title", MAX_TEXT);
        if (title == null || title.isBlank()) {
            throw new BadRequestException("title is required");
        }
        return new IncidentCommand(
                commandId,
                IncidentCommand.Kind.CREATE,
                tenant,
                null,
                actor,
                at,
                title,
                severity(body),
                text(body, "description", MAX_DESCRIPTION),
                text(body, "assignee", MAX_TEXT),
                false,
                labels(body),
                status(body),
                text(body, "note", MAX_DESCRIPTION));
    }

    public static IncidentCommand update(
            final JsonNode body,
            final String commandId,
            final String tenant,
            final String actor,
            final Instant at,
            final String id) {
        requireObject(body, UPDATE_FIELDS);
        if (body.isEmpty()) {
            throw new BadRequestException("nothing to change: send at least one of " + UPDATE_FIELDS);
        }
        final boolean unassign = body.has("assignee") && body.get("assignee").isNull();
        final String title = text(body, "title", MAX_TEXT);
        if (title != null && title.isBlank()) {
            throw new BadRequestException("title may not be blank");
        }
        return new IncidentCommand(
                commandId,
                IncidentCommand.Kind.UPDATE,
                tenant,
                id,
                actor,
                at,
                title,
                severity(body),
                text(body, "description", MAX_DESCRIPTION),
                unassign ? null : text(body, "assignee", MAX_TEXT),
                unassign,
                Map.of(),
                status(body),
                text(body, "note", MAX_DESCRIPTION));
    }

    public static IncidentCommand delete(
            final String commandId, final String tenant, final String actor, final Instant at, final String id) {
        return new IncidentCommand(
                commandId,
                IncidentCommand.Kind.DELETE,
                tenant,
                id,
                actor,
                at,
                null,
                null,
                null,
                null,
                false,
                Map.of(),
                null,
                null);
    }

    private static void requireObject(final JsonNode body, final Set<String> allowed) {
        if (body == null || !body.isObject()) {
            throw new BadRequestException("the body must be a JSON object");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            final String field = it.next();
            if (!allowed.contains(field)) {
                throw new BadRequestException(
                        "unknown field '" + abbreviate(field) + "'; allowed: " + new java.util.TreeSet<>(allowed));
            }
        }
    }

    private static Status status(final JsonNode body) {
        final String v = text(body, "status", 32);
        try {
            return v == null ? null : Status.parse(v);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    private static Severity severity(final JsonNode body) {
        final String v = text(body, "severity", 32);
        try {
            return v == null ? null : Severity.parse(v);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    private static Map<String, String> labels(final JsonNode body) {
        final JsonNode v = body.get("labels");
        if (v == null || v.isNull()) {
            return Map.of();
        }
        if (!v.isObject() || v.size() > MAX_LABELS) {
            throw new BadRequestException("labels must be an object of at most " + MAX_LABELS + " strings");
        }
        final Map<String, String> labels = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().isTextual()
                    || e.getKey().length() > 128
                    || e.getValue().textValue().length() > MAX_TEXT) {
                throw new BadRequestException("labels." + abbreviate(e.getKey()) + " must be a string of at most "
                        + MAX_TEXT + " characters");
            }
            labels.put(e.getKey(), e.getValue().textValue());
        }
        return labels;
    }

    private static String text(final JsonNode body, final String field, final int max) {
        final JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new BadRequestException(field + " must be a string");
        }
        if (v.textValue().length() > max) {
            throw new BadRequestException(field + " is longer than " + max + " characters");
        }
        return v.textValue();
    }

    private static String abbreviate(final String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
