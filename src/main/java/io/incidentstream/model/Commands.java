package io.incidentstream.model;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The rules of the write path as pure functions, like {@link Lifecycle} for alerts.
 *
 * <ul>
 *   <li>CREATE: a manual incident ({@code source = manual}), ACTIVE unless ACKNOWLEDGED is asked.</li>
 *   <li>status ACKNOWLEDGED: from ACTIVE; RESOLVED: from ACTIVE or ACKNOWLEDGED; ACTIVE: reopens a
 *       RESOLVED or EXPIRED incident (or un-acknowledges). Asking for the status it already has
 *       changes nothing and succeeds. Anything else is a 409; EXPIRED cannot be asked for (400).</li>
 *   <li>A reopened automated incident gets {@code validUntil = now + INCIDENT_TTL}, or the expiry
 *       sweep would close it again at once; it expires later unless its alert fires again.</li>
 *   <li>{@code severity}, {@code title}, {@code description}, {@code assignee}, {@code note}: on any
 *       incident; a note is a timeline entry with its author and time.</li>
 *   <li>DELETE: the incident is removed from every store and index (a tombstone on {@code incidents}).</li>
 *   <li>Unknown id, or an id of another tenant: 404 (no existence leak).</li>
 *   <li>A text or labels over its {@link Bounds}: 400 naming the field, checked first, whatever the
 *       command (the API checks the same before producing; this covers any other producer).</li>
 * </ul>
 */
public final class Commands {

    /** The outcome of one command: the result to report, and the change to write (null when refused or a no-op). */
    public record Applied(CommandResult result, Incident incident, TimelineEntry transition, boolean deleted) {}

    private final Duration incidentTtl;

    public Commands(final Duration incidentTtl) {
        this.incidentTtl = incidentTtl;
    }

    /**
     * Applies one command to the incident it names.
     *
     * @param current the stored incident named by the command, or null (for CREATE, or when unknown)
     * @param newId   called only for CREATE
     */
    public Applied apply(final Incident current, final IncidentCommand c, final Supplier<String> newId) {
        final String oversized = Bounds.commandViolation(c);
        if (oversized != null) {
            return refused(c, 400, oversized);
        }
        if (c.kind() == IncidentCommand.Kind.CREATE) {
            return create(c, newId.get());
        }
        if (current == null || !current.tenantId().equals(c.tenantId())) {
            return refused(c, 404, "incident " + c.incidentId() + " not found");
        }
        if (c.kind() == IncidentCommand.Kind.DELETE) {
            final TimelineEntry entry =
                    new TimelineEntry(c.at(), current.status(), null, TimelineEntry.SOURCE_API, c.actor(), "deleted");
            return new Applied(result(c, current.id(), 204, "deleted"), current, entry, true);
        }
        return update(current, c);
    }

    private Applied create(final IncidentCommand c, final String id) {
        final Status status = c.status() == null ? Status.ACTIVE : c.status();
        if (!status.isOpen()) {
            return refused(c, 400, "a new incident is ACTIVE or ACKNOWLEDGED");
        }
        final TimelineEntry entry =
                new TimelineEntry(c.at(), null, status, TimelineEntry.SOURCE_API, c.actor(), c.note());
        final Incident incident = new Incident.Builder()
                .id(id)
                .tenantId(c.tenantId())
                .alertId(id)
                .alertVersion(1)
                .alertTemplateId("manual")
                .status(status)
                .severity(c.severity() == null ? Severity.MEDIUM : c.severity())
                .title(c.title())
                .description(c.description())
                .source(Source.MANUAL)
                .createdAt(c.at())
                .updatedAt(c.at())
                .lastCheckedAt(c.at())
                .acknowledgedAt(status == Status.ACKNOWLEDGED ? c.at() : null)
                .assignee(c.assignee())
                .alertCount(0)
                .labels(c.labels())
                .addTransition(entry)
                .build();
        return new Applied(result(c, id, 201, "created"), incident, entry, false);
    }

    private Applied update(final Incident current, final IncidentCommand c) {
        final Incident.Builder next = current.toBuilder();
        TimelineEntry entry = null;
        if (c.status() != null && c.status() != current.status()) {
            final String refusal = refusal(current.status(), c.status());
            if (refusal != null) {
                return refused(c, c.status() == Status.EXPIRED ? 400 : 409, refusal);
            }
            transition(next, current, c);
            entry = new TimelineEntry(
                    c.at(), current.status(), c.status(), TimelineEntry.SOURCE_API, c.actor(), c.note());
        } else if (c.note() != null) {
            entry = new TimelineEntry(
                    c.at(), current.status(), current.status(), TimelineEntry.SOURCE_API, c.actor(), c.note());
        }
        if (c.severity() != null) {
            next.severity(c.severity());
        }
        if (c.title() != null) {
            next.title(c.title());
        }
        if (c.description() != null) {
            next.description(c.description());
        }
        if (c.unassign()) {
            next.assignee(null);
        } else if (c.assignee() != null) {
            next.assignee(c.assignee());
        }
        if (entry != null) {
            next.addTransition(entry);
        }
        final Incident updated = next.build();
        if (updated.equals(current)) {
            return new Applied(result(c, current.id(), 200, "unchanged"), null, null, false);
        }
        return new Applied(
                result(c, current.id(), 200, "updated"),
                next.updatedAt(later(current.updatedAt(), c.at())).build(),
                entry,
                false);
    }

    /** Why {@code from → to} is not allowed, or null when it is. */
    private static String refusal(final Status from, final Status to) {
        return switch (to) {
            case EXPIRED -> "status EXPIRED is set by expiry, not by a person";
            case ACKNOWLEDGED ->
                from == Status.ACTIVE ? null : "only an ACTIVE incident can be acknowledged (it is " + from + ")";
            case RESOLVED -> from.isOpen() ? null : "only an open incident can be resolved (it is " + from + ")";
            case ACTIVE -> null;
        };
    }

    private void transition(final Incident.Builder next, final Incident current, final IncidentCommand c) {
        next.status(c.status());
        switch (c.status()) {
            case ACKNOWLEDGED -> next.acknowledgedAt(c.at());
            case RESOLVED -> next.resolvedAt(c.at());
            case ACTIVE -> {
                next.acknowledgedAt(null).resolvedAt(null);
                if (current.source() == Source.AUTOMATED && !current.status().isOpen()) {
                    next.validUntil(later(current.validUntil(), c.at().plus(incidentTtl)));
                }
            }
            default -> throw new IllegalStateException("refused above: " + c.status());
        }
    }

    private static Applied refused(final IncidentCommand c, final int status, final String message) {
        return new Applied(result(c, c.incidentId(), status, message), null, null, false);
    }

    private static CommandResult result(
            final IncidentCommand c, final String id, final int status, final String message) {
        return new CommandResult(c.commandId(), id, status, message, c.at(), CommandFingerprint.of(c));
    }

    private static Instant later(final Instant a, final Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }
}
