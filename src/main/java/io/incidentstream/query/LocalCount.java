package io.incidentstream.query;

import io.incidentstream.model.Incident;
import io.incidentstream.store.IndexEntry;
import io.incidentstream.store.IndexScan;
import io.incidentstream.store.IndexedLabels;
import io.incidentstream.store.PartitionStores;
import io.incidentstream.store.ScanRange;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code includeCount} on this instance's partitions, at a bounded cost.
 *
 * <p>Filters on status, severity and source only (the counts an operator's dashboard asks for) are
 * read from the counts the processor keeps beside the index: O(1) per partition, exact. Any other
 * filter ({@code alertId}, {@code alertTemplateId}, {@code createdAfter}, {@code createdBefore}, an
 * equality on an indexed label) is
 * counted by walking the narrowest index ranges ({@link IndexPlan#count}), reading the incident only
 * when the entry cannot tell, and at most {@code scanLimit} entries per partition: a count that
 * reaches the limit is a lower bound and says so ({@code exact = false}), never a silently short
 * number.
 *
 * @param count the matches counted
 * @param exact false when some partition had more entries than the limit
 */
record LocalCount(long count, boolean exact) {

    static LocalCount of(
            final ListQuery q,
            final IndexedLabels indexed,
            final List<PartitionStores> partitions,
            final int scanLimit) {
        if (IndexPlan.countedByCounts(q)) {
            final Set<io.incidentstream.model.Source> sources = q.source() == null ? Set.of() : Set.of(q.source());
            long total = 0;
            for (PartitionStores p : partitions) {
                total += p.count(q.tenant(), sources, q.statuses(), q.severities());
            }
            return new LocalCount(total, true);
        }
        final ScanRange range = IndexPlan.count(q, indexed);
        final boolean readsIncidents = IndexPlan.countReadsIncidents(q, indexed);
        long total = 0;
        boolean exact = true;
        for (PartitionStores p : partitions) {
            final Walk walk = walk(q, p, range, readsIncidents, scanLimit);
            total += walk.matches();
            exact &= walk.complete();
        }
        return new LocalCount(total, exact);
    }

    private record Walk(long matches, boolean complete) {}

    /**
     * One partition's matches among at most {@code limit} entries. With several families each is its
     * own RocksDB iterator, opened one after the other, so an incident changing status in between can
     * show in two of them: ids are counted once.
     */
    private static Walk walk(
            final ListQuery q,
            final PartitionStores p,
            final ScanRange range,
            final boolean readsIncidents,
            final int limit) {
        final Set<String> seen = range.prefixes().size() > 1 ? new HashSet<>() : null;
        long matches = 0;
        int read = 0;
        try (IndexScan scan = new IndexScan(List.of(p), range)) {
            while (scan.hasNext()) {
                if (read == limit) {
                    return new Walk(matches, false);
                }
                final IndexEntry entry = scan.next();
                read++;
                if (seen != null && !seen.add(entry.id())) {
                    continue;
                }
                if (readsIncidents) {
                    final Incident incident = p.listed(entry.id());
                    if (incident == null || !q.matches(incident)) {
                        continue;
                    }
                }
                matches++;
            }
        }
        return new Walk(matches, true);
    }
}
