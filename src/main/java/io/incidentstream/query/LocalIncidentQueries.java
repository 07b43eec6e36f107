package io.incidentstream.query;

import io.incidentstream.errors.NotFoundException;
import io.incidentstream.errors.UnavailableException;
import io.incidentstream.model.CommandResult;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentId;
import io.incidentstream.store.CursorCodec;
import io.incidentstream.store.IndexEntry;
import io.incidentstream.store.IndexScan;
import io.incidentstream.store.PartitionStores;
import io.incidentstream.store.ScanRange;
import io.incidentstream.store.StoreAccess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * Reads from this instance's own active partitions: a merged range scan over the narrowest family of
 * the list index ({@link IndexPlan}) starting right after the cursor, so a page costs O(limit) reads
 * (plus what the checks on each incident skip) at any depth. Fetches {@code limit + 1} so the
 * coordinator knows whether a next page exists.
 */
public final class LocalIncidentQueries {
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private final StoreAccess stores;
    private final CursorCodec cursors;

    public LocalIncidentQueries(final StoreAccess stores, final CursorCodec cursors) {
        this.stores = stores;
        this.cursors = cursors;
    }

    /**
     * This instance's part of a list: up to {@code limit + 1} matches after the cursor from its
     * active partitions, and which partitions those were.
     */
    public LocalPage page(final ListQuery query) {
        final CursorCodec.Position after =
                query.nextToken() == null ? null : cursors.decode(query.canonical(), query.nextToken());
        try {
            final List<PartitionStores> partitions = stores.activePartitions();
            final Map<Integer, PartitionStores> byPartition = new HashMap<>();
            partitions.forEach(p -> byPartition.put(p.partition(), p));
            final List<Incident> page = new ArrayList<>(query.limit() + 1);
            final Set<String> seen = new HashSet<>();
            try (IndexScan scan = new IndexScan(partitions, IndexPlan.page(query, after))) {
                while (scan.hasNext() && page.size() <= query.limit()) {
                    final IndexEntry entry = scan.next();
                    final Incident incident = byPartition.get(entry.partition()).incident(entry.id());
                    if (incident != null && query.matches(incident) && seen.add(entry.id())) {
                        page.add(incident.withoutTimeline());
                    }
                }
            }
            final Long count = query.includeCount() ? count(query, partitions, byPartition) : null;
            return new LocalPage(page, byPartition.keySet(), count);
        } catch (InvalidStateStoreException e) {
            throw new UnavailableException("incident stores changed hands during the query; retry", RETRY_AFTER, e);
        }
    }

    /** The incident with its timeline, from this instance's stores. */
    public Incident get(final String tenant, final String id) {
        final int partition = IncidentId.partitionOf(id);
        if (partition < 0 || partition >= stores.partitionCount()) {
            throw notFound(id);
        }
        try {
            final PartitionStores owner = stores.partition(partition)
                    .orElseThrow(() -> new UnavailableException(
                            "partition " + partition + " is not served by this instance right now", RETRY_AFTER));
            final Incident incident = owner.incident(id);
            if (incident == null || !incident.tenantId().equals(tenant)) {
                throw notFound(id);
            }
            return incident;
        } catch (InvalidStateStoreException e) {
            throw new UnavailableException("incident stores changed hands during the query; retry", RETRY_AFTER, e);
        }
    }

    /** The result of a command applied on a partition this instance serves, or null (not applied, or not here). */
    public CommandResult commandResult(final int partition, final String commandId) {
        try {
            return stores.partition(partition)
                    .map(p -> p.commandResult(commandId))
                    .orElse(null);
        } catch (InvalidStateStoreException e) {
            throw new UnavailableException("incident stores changed hands during the query; retry", RETRY_AFTER, e);
        }
    }

    /**
     * All matches: index entries only, unless the family leaves a filter to check on the incident
     * itself. O(matches). With several families each is its own RocksDB iterator, opened one after
     * the other, so an incident changing status in between can show in two of them: ids are counted
     * once.
     */
    private static long count(
            final ListQuery query,
            final List<PartitionStores> partitions,
            final Map<Integer, PartitionStores> byPartition) {
        final ScanRange range = IndexPlan.count(query);
        final boolean readsIncidents = IndexPlan.countReadsIncidents(query);
        final Set<String> seen = range.prefixes().size() > 1 ? new HashSet<>() : null;
        long count = 0;
        try (IndexScan scan = new IndexScan(partitions, range)) {
            while (scan.hasNext()) {
                final IndexEntry entry = scan.next();
                if (seen != null && !seen.add(entry.id())) {
                    continue;
                }
                if (readsIncidents) {
                    final Incident incident = byPartition.get(entry.partition()).incident(entry.id());
                    if (incident == null || !query.matches(incident)) {
                        continue;
                    }
                }
                count++;
            }
        }
        return count;
    }

    private static NotFoundException notFound(final String id) {
        return new NotFoundException("incident " + abbreviate(id) + " not found");
    }

    private static String abbreviate(final String id) {
        return id.length() <= 80 ? id : id.substring(0, 80) + "…";
    }
}
