package io.incidentstream.grouping;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.model.AlertEvent;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Upstream grouping respected, not redone ({@code ALERTMANAGER_GROUPS=true}): an alert that came in an
 * Alertmanager webhook notification carries its group's {@code groupKey} (in {@code reportData}), and
 * the built-in rule {@value #RULE_ID} groups by it, so one Alertmanager group is one incident whose
 * members are its alerts. It is an ordinary rule to the fold (same key scheme, same lifecycle): it
 * groups by the pseudo-label {@link Rule#ALERTMANAGER_GROUP_KEY}, takes alerts joining within
 * {@link Rules#MAX_WINDOW} of the last (Alertmanager decides what a group is, not a window of ours) and
 * resolves when every member has, as Alertmanager's own group does.
 */
public final class AlertmanagerGroups {
    /** The built-in rule's id, shown as {@code ruleId} and {@code joinedBy}. */
    public static final String RULE_ID = "alertmanager";

    /** What the Alertmanager adapter writes as {@code reportData.receivedVia} for a webhook's alerts. */
    static final String VIA_WEBHOOK = "alertmanager-webhook";

    /** The built-in rule. */
    public static final Rule RULE = Rules.compile(new GroupingRule(
            RULE_ID,
            0,
            null,
            List.of(Rule.ALERTMANAGER_GROUP_KEY),
            Rules.MAX_WINDOW.toString(),
            Rules.MAX_MAX_AGE.toString(),
            ResolveWhen.ALL.json(),
            1,
            null));

    private AlertmanagerGroups() {}

    /** The alert's Alertmanager group, when it came in a webhook notification that named one. */
    public static Optional<GroupLifecycle.Group> route(final AlertEvent event) {
        final JsonNode data = event.reportData();
        if (data == null
                || !VIA_WEBHOOK.equals(data.path("receivedVia").asText(""))
                || data.path("groupKey").asText("").isBlank()) {
            return Optional.empty();
        }
        final Map<String, String> labels = RULE.groupLabels(event);
        return Optional.of(new GroupLifecycle.Group(RULE, RULE.groupKey(event.tenantId(), labels), labels));
    }
}
