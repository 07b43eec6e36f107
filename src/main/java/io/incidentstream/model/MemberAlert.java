package io.incidentstream.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One alert of a grouped incident, as the incident lists it: its own status, severity and times, so
 * that an operator sees which alerts are behind the incident and which of them still fire.
 * {@code joinedBy} is the id of the rule that put the alert into the group. Labels are bounded per
 * member ({@link Bounds#MAX_MEMBER_LABELS_BYTES}), so a long member list stays within the record bound.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MemberAlert(
        String alertId,
        State status,
        Severity severity,
        Map<String, String> labels,
        Instant firstSeen,
        Instant lastCheckedAt,
        Instant validUntil,
        String joinedBy) {

    /** A member's own state: firing, resolved by its alert, or expired without a re-check. */
    public enum State {
        FIRING,
        RESOLVED,
        EXPIRED
    }

    public MemberAlert {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(status, "status");
        labels = labels == null ? Map.of() : Map.copyOf(Bounds.clampLabels(labels, Bounds.MAX_MEMBER_LABELS_BYTES));
    }

    public boolean firing() {
        return status == State.FIRING;
    }

    public MemberAlert with(final State state) {
        return new MemberAlert(alertId, state, severity, labels, firstSeen, lastCheckedAt, validUntil, joinedBy);
    }
}
