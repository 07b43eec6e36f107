package io.incidentstream.query;

import io.incidentstream.model.Incident;
import io.incidentstream.model.LabelMatcher;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Source;
import io.incidentstream.model.Status;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A validated list request. Empty sets mean "any"; {@code createdAfter} is inclusive,
 * {@code createdBefore} exclusive; every label matcher must hold. {@code silenced}, when given, keeps
 * only incidents some silence mutes ({@code true}) or none does ({@code false}) when the page is read;
 * no index answers it, so such a page reads under the scan budget, as a label matcher does.
 */
public record ListQuery(
        String tenant,
        Set<Status> statuses,
        Set<Severity> severities,
        String alertId,
        String alertTemplateId,
        Source source,
        Instant createdAfter,
        Instant createdBefore,
        List<LabelMatcher> labels,
        Sort sort,
        boolean descending,
        int limit,
        boolean includeCount,
        String nextToken,
        Boolean silenced) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    /** Label matchers one list may carry at most. */
    public static final int MAX_LABEL_MATCHERS = 20;

    /**
     * Every incident of {@code tenant} in {@code statuses}, by creation time, a page of {@link #MAX_LIMIT}
     * from {@code nextToken} (null: the first): what a server-side reader pages through, with no other filter.
     */
    public static ListQuery byStatus(
            final String tenant, final Set<Status> statuses, final boolean descending, final String nextToken) {
        return new ListQuery(
                tenant,
                statuses,
                Set.of(),
                null,
                null,
                null,
                null,
                null,
                List.of(),
                Sort.CREATED_AT,
                descending,
                MAX_LIMIT,
                false,
                nextToken);
    }

    /** A list request without the {@code silenced} filter. */
    public ListQuery(
            final String tenant,
            final Set<Status> statuses,
            final Set<Severity> severities,
            final String alertId,
            final String alertTemplateId,
            final Source source,
            final Instant createdAfter,
            final Instant createdBefore,
            final List<LabelMatcher> labels,
            final Sort sort,
            final boolean descending,
            final int limit,
            final boolean includeCount,
            final String nextToken) {
        this(
                tenant,
                statuses,
                severities,
                alertId,
                alertTemplateId,
                source,
                createdAfter,
                createdBefore,
                labels,
                sort,
                descending,
                limit,
                includeCount,
                nextToken,
                null);
    }

    public ListQuery {
        statuses = Set.copyOf(statuses);
        severities = Set.copyOf(severities);
        // one order for the same matchers however given: the cursor and the index plan depend on it
        labels = labels.stream()
                .sorted(Comparator.comparing(LabelMatcher::toString))
                .distinct()
                .toList();
    }

    /**
     * Everything that selects and orders the list, in a fixed textual form. The cursor is bound to
     * it, so a token cannot continue a list with other filters. {@code limit} is not part of it.
     */
    public String canonical() {
        final List<String> parts = Arrays.asList(
                "v1",
                tenant,
                sort.name(),
                descending ? "desc" : "asc",
                sorted(statuses).toString(),
                sorted(severities).toString(),
                alertId,
                alertTemplateId,
                source == null ? null : source.name(),
                createdAfter == null ? null : createdAfter.toString(),
                createdBefore == null ? null : createdBefore.toString());
        // Length-prefixed parts, "-" for absent: no two different queries share a canonical form.
        final StringBuilder out = new StringBuilder();
        for (String part : parts) {
            out.append(part == null ? "-" : part.length() + ":" + part).append(';');
        }
        // after the parts of lists without matchers, so their cursors stay what they were
        for (LabelMatcher m : labels) {
            final String part = m.toString();
            out.append("label=").append(part.length()).append(':').append(part).append(';');
        }
        if (silenced != null) {
            out.append("silenced=").append(silenced).append(';');
        }
        return out.toString();
    }

    /**
     * Whether an incident matches every filter. Checked on each incident a page reads: the index
     * ranges ({@link IndexPlan}) guarantee some of these, but an entry is read from a snapshot and
     * the incident after it, so checking all of them keeps a page true to the incident as it is.
     */
    boolean matches(final Incident i) {
        return tenant.equals(i.tenantId())
                && (statuses.isEmpty() || statuses.contains(i.status()))
                && (severities.isEmpty() || severities.contains(i.severity()))
                && (alertId == null || alertId.equals(i.alertId()))
                && (alertTemplateId == null || alertTemplateId.equals(i.alertTemplateId()))
                && (source == null || source == i.source())
                && withinCreated(i.createdAt())
                && labelsMatch(i);
    }

    private boolean labelsMatch(final Incident i) {
        for (LabelMatcher m : labels) {
            if (!m.matches(i.labels())) {
                return false;
            }
        }
        return true;
    }

    private boolean withinCreated(final Instant createdAt) {
        return (createdAfter == null || !createdAt.isBefore(createdAfter))
                && (createdBefore == null || createdAt.isBefore(createdBefore));
    }

    private static <E extends Comparable<E>> SortedSet<E> sorted(final Set<E> set) {
        return new TreeSet<>(set);
    }
}
