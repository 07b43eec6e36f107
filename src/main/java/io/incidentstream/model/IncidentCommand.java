package io.incidentstream.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A change a person asks for through the API, as written to topic {@code incident-commands} and
 * applied by the processor that owns the incident (one writer, one order with the alerts).
 * {@code at} is when the API received it, so replays apply the same times. {@code commandId}
 * makes it idempotent: a command already applied is not applied again.
 *
 * <p>For {@link Kind#UPDATE}, null fields mean "leave as is"; {@code unassign} clears the assignee.
 * Texts and labels are checked against {@link Bounds} when the command is applied
 * ({@link Commands}), so a command produced by any client, not only the API, is refused with a
 * message naming the field.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IncidentCommand(
        String commandId,
        Kind kind,
        String tenantId,
        String incidentId,
        String actor,
        Instant at,
        String title,
        Severity severity,
        String description,
        String assignee,
        Boolean unassign,
        Map<String, String> labels,
        Status status,
        String note) {

    /** What the command does. */
    public enum Kind {
        CREATE,
        UPDATE,
        DELETE
    }

    public IncidentCommand {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(at, "at");
        if (kind != Kind.CREATE) {
            Objects.requireNonNull(incidentId, "incidentId");
        }
        // Identities key the command results and appear in answers; they cannot be cut, so a command
        // naming one over its bound is refused (a dead letter when read from the topic).
        Bounds.requireWithin("commandId", commandId, Bounds.MAX_ID_CHARS);
        Bounds.requireWithin("tenantId", tenantId, Bounds.MAX_TENANT_CHARS);
        Bounds.requireWithin("incidentId", incidentId, Bounds.MAX_ID_CHARS);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        // Optional in JSON: a hand-written command without it is not a dead letter.
        unassign = Boolean.TRUE.equals(unassign);
    }
}
