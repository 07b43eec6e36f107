package io.incidentstream.grouping;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * A grouping rule as written by its owner and stored on topic {@code grouping-rules} (key
 * {@code tenantId/id}): which alerts it takes ({@code match}), what makes two of them one incident
 * ({@code groupBy}), and when a group's incident stops taking alerts ({@code window}, {@code maxAge})
 * or resolves ({@code resolveWhen}). Plain data as JSON has it; {@link Rules#compile} checks it and
 * fills the defaults.
 *
 * @param id          the rule's name, unique per tenant
 * @param position    order of evaluation, lowest first (ties by id); the first matching rule wins
 * @param match       what the rule takes; absent: every alert of the tenant
 * @param groupBy     label names (and the pseudo-labels {@code alertId}, {@code alertTemplateId}) whose
 *                    values make the group; empty: one group for every matching alert
 * @param window      an alert joins only if the incident's last member joined at most this long before
 * @param maxAge      an alert never joins an incident older than this
 * @param resolveWhen {@code all} members resolved or expired, the {@code first} one resolved, or
 *                    {@code never} (only a person resolves)
 * @param minAlerts   the incident opens once this many distinct alerts matched within the window
 * @param title       a template over the group labels and {@code memberCount}: {@code {{host}}: {{memberCount}} alerts}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GroupingRule(
        String id,
        Integer position,
        Match match,
        List<String> groupBy,
        String window,
        String maxAge,
        String resolveWhen,
        Integer minAlerts,
        String title) {

    /**
     * What a rule takes; every given part must hold. Values of {@code labels}, {@code alertTemplateId}
     * and {@code source} (the alert's {@code source} label) are exact, or with a leading {@code ~} an
     * anchored RE2 regular expression (linear time).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Match(Map<String, String> labels, List<String> severity, String alertTemplateId, String source) {}

    /** The same rule with another id (a PUT's path names it). */
    public GroupingRule withId(final String newId) {
        return new GroupingRule(newId, position, match, groupBy, window, maxAge, resolveWhen, minAlerts, title);
    }
}
