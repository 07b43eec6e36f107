package io.incidentstream.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.errors.BadRequestException;
import io.incidentstream.errors.NotFoundException;
import io.incidentstream.model.Bounds;
import io.incidentstream.model.IncidentCommand;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Status;
import io.incidentstream.model.Texts;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Validates the JSON bodies of {@code POST /incidents} and {@code PATCH /incidents/{id}} into
 * commands. Strict: unknown fields are a 400 (a misspelt {@code asignee} must not be a silent
 * no-op), types and enums are checked, and texts and labels are held to the model's {@link Bounds}
 * before anything is produced: the caller gets a 400 naming the field rather than a command the
 * owner would refuse for the same reason.
 */
public final class WriteRequests {
    private static final Set<String> CREATE_FIELDS =
            Set.of("title", "severity", "description", "assignee", "labels", "status", "note");
    private static final Set<String> UPDATE_FIELDS =
            Set.of("status", "severity", "title", "description", "assignee", "note");
    private static final int MAX_ENUM = 32;

    private WriteRequests() {}

    public static IncidentCommand create(
            final JsonNode body, final String commandId, final String tenant, final String actor, final Instant at) {
        requireObject(body, CREATE_FIELDS);
        final String title = text(body, "title");
        if (title == null || title.isBlank()) {
            throw new BadRequestException("title is required");
        }
        return withinBounds(new IncidentCommand(
                commandId,
                IncidentCommand.Kind.CREATE,
                tenant,
                null,
                actor,
                at,
                title,
                severity(body),
                text(body, "description"),
                text(body, "assignee"),
                false,
                labels(body),
                status(body),
                text(body, "note")));
    }

    public static IncidentCommand update(
            final JsonNode body,
            final String commandId,
            final String tenant,
            final String actor,
            final Instant at,
            final String id) {
        requireObject(body, UPDATE_FIELDS);
        requireIncidentId(id);
        if (body.isEmpty()) {
            throw new BadRequestException("nothing to change: send at least one of " + UPDATE_FIELDS);
        }
        final boolean unassign = body.has("assignee") && body.get("assignee").isNull();
        final String title = text(body, "title");
        if (title != null && title.isBlank()) {
            throw new BadRequestException("title may not be blank");
        }
        return withinBounds(new IncidentCommand(
                commandId,
                IncidentCommand.Kind.UPDATE,
                tenant,
                id,
                actor,
                at,
                title,
                severity(body),
                text(body, "description"),
                unassign ? null : text(body, "assignee"),
                unassign,
                Map.of(),
                status(body),
                text(body, "note")));
    }

    public static IncidentCommand delete(
            final String commandId, final String tenant, final String actor, final Instant at, final String id) {
        requireIncidentId(id);
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

    /** A command within the model's bounds, or a 400 naming the first field over its bound. */
    private static IncidentCommand withinBounds(final IncidentCommand command) {
        final String violation = Bounds.commandViolation(command);
        if (violation != null) {
            throw new BadRequestException(violation);
        }
        return command;
    }

    /** An id longer than any incident id names no incident: 404, as any other unknown id. */
    private static void requireIncidentId(final String id) {
        if (id.length() > Bounds.MAX_ID_CHARS) {
            throw new NotFoundException("incident " + Texts.abbreviate(id) + " not found");
        }
    }

    private static void requireObject(final JsonNode body, final Set<String> allowed) {
        if (body == null || !body.isObject()) {
            throw new BadRequestException("the body must be a JSON object");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            final String field = it.next();
            if (!allowed.contains(field)) {
                throw new BadRequestException("unknown field '" + Texts.abbreviate(field) + "'; allowed: "
                        + new java.util.TreeSet<>(allowed));
            }
        }
    }

    private static Status status(final JsonNode body) {
        final String v = text(body, "status");
        if (v != null && v.length() > MAX_ENUM) {
            throw new BadRequestException("status is longer than " + MAX_ENUM + " characters");
        }
        try {
            return v == null ? null : Status.parse(v);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    private static Severity severity(final JsonNode body) {
        final String v = text(body, "severity");
        if (v != null && v.length() > MAX_ENUM) {
            throw new BadRequestException("severity is longer than " + MAX_ENUM + " characters");
        }
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
        if (!v.isObject() || v.size() > Bounds.MAX_LABELS) {
            throw new BadRequestException("labels must be an object of at most " + Bounds.MAX_LABELS + " strings");
        }
        final Map<String, String> labels = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().isTextual()) {
                throw new BadRequestException("labels." + Texts.abbreviate(e.getKey()) + " must be a string");
            }
            labels.put(e.getKey(), e.getValue().textValue());
        }
        return labels;
    }

    private static String text(final JsonNode body, final String field) {
        final JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new BadRequestException(field + " must be a string");
        }
        return v.textValue();
    }
}
