package io.incidentstream.grouping;

import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.LabelMatcher;
import io.incidentstream.model.Severity;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A checked grouping rule, ready to apply: matchers compiled, defaults filled. Made by
 * {@link Rules#compile}; {@link #definition()} is the normalised rule as stored and shown.
 */
public record Rule(
        GroupingRule definition,
        String id,
        int position,
        List<LabelMatcher> labelMatchers,
        Set<Severity> severities,
        LabelMatcher templateMatcher,
        LabelMatcher sourceMatcher,
        List<String> groupBy,
        Duration window,
        Duration maxAge,
        ResolveWhen resolveWhen,
        int minAlerts,
        String title) {

    /** Pseudo-label: the alert's id. */
    public static final String ALERT_ID = "alertId";
    /** Pseudo-label: the alert's template id (its id when it has none). */
    public static final String ALERT_TEMPLATE_ID = "alertTemplateId";
    /** Pseudo-label: the Alertmanager group the alert was notified in ({@code reportData.groupKey}), or "". */
    public static final String ALERTMANAGER_GROUP_KEY = "alertmanagerGroupKey";

    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*}}");
    static final String MEMBER_COUNT = "memberCount";

    /** Whether this rule takes the alert. */
    public boolean matches(final AlertEvent event) {
        if (!severities.isEmpty() && !severities.contains(event.severity())) {
            return false;
        }
        for (LabelMatcher m : labelMatchers) {
            if (!m.matches(event.labels())) {
                return false;
            }
        }
        return (templateMatcher == null || templateMatcher.matches(nonNull(event.alertTemplateId())))
                && (sourceMatcher == null
                        || sourceMatcher.matches(nonNull(event.labels().get("source"))));
    }

    /** The values of {@code groupBy} for the alert, in {@code groupBy} order; a missing label is "". */
    public Map<String, String> groupLabels(final AlertEvent event) {
        final Map<String, String> values = new LinkedHashMap<>();
        for (String name : groupBy) {
            final String value = switch (name) {
                case ALERT_ID -> event.alertId();
                case ALERT_TEMPLATE_ID -> event.alertTemplateId() != null ? event.alertTemplateId() : event.alertId();
                case ALERTMANAGER_GROUP_KEY ->
                    event.reportData() == null
                            ? null
                            : event.reportData().path("groupKey").asText("");
                default -> event.labels().get(name);
            };
            values.put(name, nonNull(value));
        }
        return values;
    }

    /**
     * The group key: tenant, rule id and the {@code groupBy} values, as
     * {@code tenant/rule/{host="db-1",service=""}} (values quoted and escaped, so two groups never
     * share a key). It is the record key the alert is folded under, and so picks its partition.
     */
    public String groupKey(final String tenantId, final Map<String, String> groupLabels) {
        final StringBuilder key =
                new StringBuilder(tenantId).append('/').append(id).append("/{");
        boolean first = true;
        for (Map.Entry<String, String> e : groupLabels.entrySet()) {
            if (!first) {
                key.append(',');
            }
            first = false;
            key.append(e.getKey()).append("=\"");
            key.append(e.getValue().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return key.append('}').toString();
    }

    /** The incident title: the template with the group labels and member count filled in, or null without one. */
    public String title(final Map<String, String> groupLabels, final long memberCount) {
        if (title == null) {
            return null;
        }
        final Matcher m = PLACEHOLDER.matcher(title);
        final StringBuilder out = new StringBuilder();
        while (m.find()) {
            final String name = m.group(1);
            final String value =
                    MEMBER_COUNT.equals(name) ? Long.toString(memberCount) : nonNull(groupLabels.get(name));
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String nonNull(final String s) {
        return s == null ? "" : s;
    }
}
