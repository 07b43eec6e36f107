package io.incidentstream.query;

import io.incidentstream.errors.NotFoundException;
import io.incidentstream.errors.UnavailableException;
import io.incidentstream.model.CommandResult;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentId;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Status;
import io.incidentstream.model.Texts;
import io.incidentstream.store.CursorCodec;
import io.incidentstream.store.IndexEntry;
import io.incidentstream.store.IndexKeys;
import io.incidentstream.store.IndexScan;
import io.incidentstream.store.PartitionStores;
import io.incidentstream.store.ScanRange;
import io.incidentstream.store.StoreAccess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * Reads from this instance's own active partitions: a merged range scan over the list index
 * starting right after the cursor, so a page costs O(limit) reads (plus what post-filters skip)
 * at any depth. Fetches {@code limit + 1} so the coordinator knows whether a next page exists.
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
            try (IndexScan scan = new IndexScan(partitions, range(query, after))) {
                while (scan.hasNext() && page.size() <= query.limit()) {
                    final IndexEntry entry = scan.next();
                    final Incident incident = byPartition.get(entry.partition()).incident(entry.id());
                    if (incident != null && query.matchesPostFilters(incident) && seen.add(entry.id())) {
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
     * All matches: index entries only, unless a post-filter needs the incident itself. O(matches).
     * With several status/severity families each is its own RocksDB iterator, opened one after the
     * other, so an incident changing status in between can show in two of them: ids are counted once.
     */
    private static long count(
            final ListQuery query,
            final List<PartitionStores> partitions,
            final Map<Integer, PartitionStores> byPartition) {
        final ScanRange range = range(query, null);
        final Set<String> seen = range.prefixes().size() > 1 ? new HashSet<>() : null;
        long count = 0;
        try (IndexScan scan = new IndexScan(partitions, range)) {
            while (scan.hasNext()) {
                final IndexEntry entry = scan.next();
                if (seen != null && !seen.add(entry.id())) {
                    continue;
                }
                if (!query.hasPostFilters()) {
                    count++;
                    continue;
                }
                final Incident incident = byPartition.get(entry.partition()).incident(entry.id());
                if (incident != null && query.matchesPostFilters(incident)) {
                    count++;
                }
            }
        }
        return count;
    }

    /**
     * The index ranges of a query: the unfiltered family, or the status-with-severity family for every
     * wanted status and severity (a filter on one of the two reads every value of the other).
     */
    private static ScanRange range(final ListQuery q, final CursorCodec.Position after) {
        final List<byte[]> prefixes = new ArrayList<>();
        if (q.statuses().isEmpty() && q.severities().isEmpty()) {
            prefixes.add(IndexKeys.prefix(q.tenant(), q.sort().index(), null, null));
        } else {
            for (Status status : orAll(q.statuses(), Status.class)) {
                for (Severity severity : orAll(q.severities(), Severity.class)) {
                    prefixes.add(IndexKeys.prefix(q.tenant(), q.sort().index(), status, severity));
                }
            }
        }
        final boolean byCreated = q.sort() == Sort.CREATED_AT;
        // Stored times have millisecond precision (the decoder truncates), so a bound between two
        // milliseconds rounds up: createdAt >= 10.0005 is createdAt >= 10.001, and < 10.0005 is < 10.001.
        final long from = byCreated && q.createdAfter() != null ? ceilMillis(q.createdAfter()) : Long.MIN_VALUE + 1;
        final long to = byCreated && q.createdBefore() != null ? ceilMillis(q.createdBefore()) : Long.MAX_VALUE;
        return new ScanRange(
                prefixes,
                from,
                to,
                q.descending(),
                after == null ? null : after.time(),
                after == null ? null : after.id());
    }

    private static long ceilMillis(final Instant at) {
        final long millis = at.toEpochMilli();
        return Instant.ofEpochMilli(millis).equals(at) ? millis : millis + 1;
    }

    /** The wanted values, or every value when this dimension is not filtered. */
    private static <E extends Enum<E>> Set<E> orAll(final Set<E> values, final Class<E> type) {
        return values.isEmpty() ? EnumSet.allOf(type) : values;
    }

    private static NotFoundException notFound(final String id) {
        return new NotFoundException("incident " + Texts.abbreviateId(id) + " not found");
    }
}
