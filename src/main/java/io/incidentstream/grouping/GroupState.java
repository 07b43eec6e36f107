package io.incidentstream.grouping;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.incidentstream.model.MemberAlert;
import java.util.List;

/**
 * What a group remembers between alerts, kept per group key: its current (latest) incident, the rule
 * as it was when the group last took an alert (an incident keeps the rule it was made by, whatever
 * changes later), and the alerts held until {@code minAlerts} distinct alerts matched.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record GroupState(String incidentId, GroupingRule rule, List<MemberAlert> pending) {

    public GroupState {
        pending = pending == null ? List.of() : List.copyOf(pending);
    }

    public static final GroupState EMPTY = new GroupState(null, null, List.of());
}
