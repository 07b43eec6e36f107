package io.incidentstream.query;

import io.incidentstream.model.LabelMatcher;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Status;
import io.incidentstream.store.CursorCodec;
import io.incidentstream.store.IndexKeys;
import io.incidentstream.store.IndexedLabels;
import io.incidentstream.store.ScanRange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which ranges of the list index ({@link IndexKeys}) answer a query: the narrowest family its
 * filters allow. {@code alertId} reads that alert's own entries; an equality matcher on an indexed
 * label ({@link IndexedLabels}) that value's ranges per status and severity; {@code alertTemplateId}
 * the template's ranges per status and severity; status and severity their family; and otherwise the
 * unfiltered family. What a range does not guarantee ({@code source}; with {@code alertId} the
 * status, severity and template; the other label matchers; {@code createdAfter/Before} when sorting
 * by {@code updatedAt}) is checked on each incident read ({@link ListQuery#matches}). Label matchers
 * the ranges do not answer make the page {@link #budgeted}: however rare their matches, a page reads
 * a bounded number of entries.
 */
final class IndexPlan {
    private IndexPlan() {}

    /** The ranges of a page, in the query's order, resumed right after the cursor. */
    static ScanRange page(final ListQuery q, final IndexedLabels indexed, final CursorCodec.Position after) {
        return range(q, indexed, q.sort(), q.descending(), after);
    }

    /**
     * The ranges a count walks: by {@code createdAt} whatever the page's order, so that
     * {@code createdAfter/Before} bound the ranges rather than filter what they yield.
     */
    static ScanRange count(final ListQuery q, final IndexedLabels indexed) {
        return range(q, indexed, Sort.CREATED_AT, false, null);
    }

    /**
     * The label matcher the ranges answer: an equality on an indexed label (the first in the query's
     * order), or null. Not with {@code alertId}, whose own entries are fewer still.
     */
    static LabelMatcher indexedMatcher(final ListQuery q, final IndexedLabels indexed) {
        if (q.alertId() != null) {
            return null;
        }
        for (LabelMatcher m : q.labels()) {
            if (m.isEquality() && indexed.contains(m.name())) {
                return m;
            }
        }
        return null;
    }

    /**
     * Whether a page reads under a budget: some label matcher, or the {@code silenced} filter, is checked
     * on the incidents, not by the ranges.
     */
    static boolean budgeted(final ListQuery q, final IndexedLabels indexed) {
        if (q.silenced() != null) {
            return true;
        }
        final LabelMatcher answered = indexedMatcher(q, indexed);
        return q.labels().stream().anyMatch(m -> !m.equals(answered));
    }

    /**
     * Whether the counts kept beside the index ({@link io.incidentstream.store.IndexCounts}, per
     * source, status and severity) answer the query's count: no filter they do not count by.
     */
    static boolean countedByCounts(final ListQuery q) {
        return q.labels().isEmpty()
                && q.alertId() == null
                && q.alertTemplateId() == null
                && q.createdAfter() == null
                && q.createdBefore() == null;
    }

    /** Whether an entry of {@link #count}'s ranges is a match by itself, or only its incident can tell. */
    static boolean countReadsIncidents(final ListQuery q, final IndexedLabels indexed) {
        if (q.source() != null || budgeted(q, indexed)) {
            return true;
        }
        if (indexedMatcher(q, indexed) != null) {
            return q.alertTemplateId() != null;
        }
        return q.alertId() != null
                && (!q.statuses().isEmpty() || !q.severities().isEmpty() || q.alertTemplateId() != null);
    }

    private static ScanRange range(
            final ListQuery q,
            final IndexedLabels indexed,
            final Sort sort,
            final boolean descending,
            final CursorCodec.Position after) {
        final boolean byCreated = sort == Sort.CREATED_AT;
        // Stored times have millisecond precision (the decoder truncates), so a bound between two
        // milliseconds rounds up: createdAt >= 10.0005 is createdAt >= 10.001, and < 10.0005 is < 10.001.
        final long from = byCreated && q.createdAfter() != null ? ceilMillis(q.createdAfter()) : Long.MIN_VALUE + 1;
        final long to = byCreated && q.createdBefore() != null ? ceilMillis(q.createdBefore()) : Long.MAX_VALUE;
        return new ScanRange(
                prefixes(q, indexedMatcher(q, indexed), sort.index()),
                from,
                to,
                descending,
                after == null ? null : after.time(),
                after == null ? null : after.id());
    }

    /** One prefix per index family the query reads (a filter on status alone reads its four severities, and so on). */
    private static List<byte[]> prefixes(final ListQuery q, final LabelMatcher label, final IndexKeys.Order order) {
        final List<byte[]> prefixes = new ArrayList<>();
        if (q.alertId() != null) {
            prefixes.add(IndexKeys.alertPrefix(q.tenant(), order, q.alertId()));
        } else if (label != null) {
            for (Status status : orAll(q.statuses(), Status.class)) {
                for (Severity severity : orAll(q.severities(), Severity.class)) {
                    prefixes.add(
                            IndexKeys.labelPrefix(q.tenant(), order, label.name(), label.value(), status, severity));
                }
            }
        } else if (q.alertTemplateId() != null) {
            for (Status status : orAll(q.statuses(), Status.class)) {
                for (Severity severity : orAll(q.severities(), Severity.class)) {
                    prefixes.add(IndexKeys.templatePrefix(q.tenant(), order, q.alertTemplateId(), status, severity));
                }
            }
        } else if (q.statuses().isEmpty() && q.severities().isEmpty()) {
            prefixes.add(IndexKeys.prefix(q.tenant(), order, null, null));
        } else {
            for (Status status : orAll(q.statuses(), Status.class)) {
                for (Severity severity : orAll(q.severities(), Severity.class)) {
                    prefixes.add(IndexKeys.prefix(q.tenant(), order, status, severity));
                }
            }
        }
        return prefixes;
    }

    private static long ceilMillis(final Instant at) {
        final long millis = at.toEpochMilli();
        return Instant.ofEpochMilli(millis).equals(at) ? millis : millis + 1;
    }

    /** The wanted values, or every value when this dimension is not filtered. */
    private static <E extends Enum<E>> Set<E> orAll(final Set<E> values, final Class<E> type) {
        return values.isEmpty() ? EnumSet.allOf(type) : values;
    }
}
