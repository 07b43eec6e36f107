package io.incidentstream.query;

import io.incidentstream.errors.BadRequestException;
import io.incidentstream.errors.NotFoundException;
import io.incidentstream.errors.UnavailableException;
import io.incidentstream.model.CommandResult;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentId;
import io.incidentstream.model.Texts;
import io.incidentstream.silence.SilenceLabels;
import io.incidentstream.silence.Silences;
import io.incidentstream.store.CursorCodec;
import io.incidentstream.store.IndexEntry;
import io.incidentstream.store.IndexScan;
import io.incidentstream.store.IndexedLabels;
import io.incidentstream.store.PartitionStores;
import io.incidentstream.store.StandbyStores;
import io.incidentstream.store.StoreAccess;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * Reads from this instance's own active partitions: a merged range scan over the narrowest family of
 * the list index ({@link IndexPlan}) starting right after the cursor, so a page costs O(limit) reads
 * (plus what the checks on each incident skip) at any depth. Fetches {@code limit + 1} so the
 * coordinator knows whether a next page exists. A page with label matchers the index does not
 * answer stops after {@code scanBudget} entries and says where ({@link LocalPage#scannedTo}). Counts
 * are bounded too ({@link LocalCount}).
 */
public final class LocalIncidentQueries {
    /** Index entries a count walks per partition at most, when the kept counts cannot answer it. */
    public static final int COUNT_SCAN_LIMIT = 10_000;

    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    /** Index entries a page whose label matchers the index cannot answer reads per instance, by default. */
    public static final int LABEL_SCAN_BUDGET = 10_000;

    private final StoreAccess stores;
    private final CursorCodec cursors;
    private final int countScanLimit;
    private final IndexedLabels indexedLabels;
    private final int scanBudget;
    private Silences silences = Silences.NONE;
    private Clock clock = Clock.systemUTC();

    public LocalIncidentQueries(final StoreAccess stores, final CursorCodec cursors) {
        this(stores, cursors, IndexedLabels.NONE, LABEL_SCAN_BUDGET);
    }

    /**
     * @param indexedLabels the labels this instance's processor indexes (the same {@code INDEXED_LABELS})
     * @param scanBudget    index entries a budgeted page reads at most ({@code LABEL_SCAN_BUDGET})
     */
    public LocalIncidentQueries(
            final StoreAccess stores,
            final CursorCodec cursors,
            final IndexedLabels indexedLabels,
            final int scanBudget) {
        this(stores, cursors, indexedLabels, scanBudget, COUNT_SCAN_LIMIT);
    }

    LocalIncidentQueries(
            final StoreAccess stores,
            final CursorCodec cursors,
            final IndexedLabels indexedLabels,
            final int scanBudget,
            final int countScanLimit) {
        this.stores = stores;
        this.cursors = cursors;
        this.indexedLabels = indexedLabels;
        this.scanBudget = scanBudget;
        this.countScanLimit = countScanLimit;
    }

    /**
     * What the {@code silenced} filter asks, at the clock's time; none by default. Set once, while wiring,
     * before any query.
     */
    public LocalIncidentQueries silences(final Silences view, final Clock at) {
        this.silences = view;
        this.clock = at;
        return this;
    }

    /**
     * Refuses a count this instance could only guess: {@code includeCount} with a label matcher the
     * index does not answer would walk every incident the other filters allow.
     */
    public void checkCountable(final ListQuery query) {
        if (query.includeCount() && query.silenced() != null) {
            throw new BadRequestException("includeCount cannot be combined with silenced: which incidents a silence"
                    + " mutes is worked out as they are read, and counting them would read every incident");
        }
        if (query.includeCount() && IndexPlan.budgeted(query, indexedLabels)) {
            throw new BadRequestException("includeCount cannot be combined with label matchers other than one"
                    + " equality on an indexed label (INDEXED_LABELS: " + indexedLabels
                    + "): counting them would read every incident. Drop includeCount, or filter by label=<name>=<value>"
                    + " with an indexed name");
        }
    }

    /**
     * This instance's part of a list: up to {@code limit + 1} matches after the cursor from its
     * active partitions that can be read now, and which partitions those were.
     */
    public LocalPage page(final ListQuery query) {
        final CursorCodec.Position after =
                query.nextToken() == null ? null : cursors.decode(query.canonical(), query.nextToken());
        try {
            final List<PartitionStores> partitions = stores.readableActivePartitions();
            final Map<Integer, PartitionStores> byPartition = new HashMap<>();
            partitions.forEach(p -> byPartition.put(p.partition(), p));
            final List<Incident> page = new ArrayList<>(query.limit() + 1);
            final Set<String> seen = new HashSet<>();
            final int budget = IndexPlan.budgeted(query, indexedLabels) ? scanBudget : Integer.MAX_VALUE;
            final Instant now = clock.instant();
            CursorCodec.Position scannedTo = null;
            CursorCodec.Position lastRead = null;
            try (IndexScan scan = new IndexScan(partitions, IndexPlan.page(query, indexedLabels, after))) {
                int read = 0;
                while (scan.hasNext() && page.size() <= query.limit()) {
                    if (read == budget) {
                        scannedTo = lastRead;
                        break;
                    }
                    final IndexEntry entry = scan.next();
                    read++;
                    lastRead = new CursorCodec.Position(entry.time(), entry.id());
                    final Incident incident = byPartition.get(entry.partition()).listed(entry.id());
                    if (incident != null
                            && query.matches(incident)
                            && silencedAsAsked(query, incident, now)
                            && seen.add(entry.id())) {
                        // a no-op after listed(), except for stores read through another serde
                        page.add(incident.withoutTimeline());
                    }
                }
            }
            if (!query.includeCount()) {
                return new LocalPage(page, byPartition.keySet(), null, null, scannedTo);
            }
            final LocalCount count = LocalCount.of(query, indexedLabels, partitions, countScanLimit);
            return new LocalPage(page, byPartition.keySet(), count.count(), count.exact(), scannedTo);
        } catch (InvalidStateStoreException e) {
            throw new UnavailableException("incident stores changed hands during the query; retry", RETRY_AFTER, e);
        }
    }

    /**
     * This instance's part of a list from its standby copies of {@code partitions}, whose active is
     * away: the same {@code limit + 1} matches after the cursor that the active would give, as stale as
     * the copies ({@link LocalPage#staleness}). A standby keeps no list index, so this reads every
     * incident of those partitions: O(incidents of the partitions), paid only while their active is
     * away. The count, when asked, is exact (everything was read).
     */
    public LocalPage standbyPage(final ListQuery query, final Set<Integer> partitions) {
        final CursorCodec.Position after =
                query.nextToken() == null ? null : cursors.decode(query.canonical(), query.nextToken());
        final Comparator<CursorCodec.Position> order = PageAssembler.positionOrder(query);
        final Comparator<Incident> byPosition = Comparator.comparing(i -> PageAssembler.position(query, i), order);
        try {
            final StandbyStores stale = stores.standby(partitions);
            final Instant now = clock.instant();
            // the limit + 1 first in page order: a heap whose head is the last of them
            final PriorityQueue<Incident> first = new PriorityQueue<>(query.limit() + 2, byPosition.reversed());
            for (PartitionStores p : stale.partitions()) {
                p.forEachListed(incident -> {
                    if (query.matches(incident)
                            && silencedAsAsked(query, incident, now)
                            && (after == null || order.compare(PageAssembler.position(query, incident), after) > 0)) {
                        first.add(incident.withoutTimeline());
                        if (first.size() > query.limit() + 1) {
                            first.poll();
                        }
                    }
                });
            }
            final List<Incident> page = new ArrayList<>(first);
            page.sort(byPosition);
            final Long total = query.includeCount() ? countAll(query, stale) : null;
            return new LocalPage(page, partitions, total, total == null ? null : Boolean.TRUE, null, stale.lag());
        } catch (InvalidStateStoreException e) {
            throw new UnavailableException("a standby copy changed during the query; retry", RETRY_AFTER, e);
        }
    }

    /** Every match on the standby copies, cursor or not: the count a list reports is of all matches. */
    private static long countAll(final ListQuery query, final StandbyStores stale) {
        final long[] count = {0};
        for (PartitionStores p : stale.partitions()) {
            p.forEachListed(incident -> {
                if (query.matches(incident)) {
                    count[0]++;
                }
            });
        }
        return count[0];
    }

    /** The incident with its timeline from this instance's standby copy of its partition, and the copy's lag. */
    public Stale<Incident> standbyGet(final String tenant, final String id) {
        final int partition = IncidentId.partitionOf(id);
        if (partition < 0 || partition >= stores.partitionCount()) {
            throw notFound(id);
        }
        try {
            final StandbyStores stale = stores.standby(Set.of(partition));
            final Incident incident = stale.partitions().get(0).incident(id);
            if (incident == null || !incident.tenantId().equals(tenant)) {
                throw notFound(id);
            }
            return new Stale<>(incident, stale.lag());
        } catch (InvalidStateStoreException e) {
            throw new UnavailableException("a standby copy changed during the query; retry", RETRY_AFTER, e);
        }
    }

    private boolean silencedAsAsked(final ListQuery query, final Incident incident, final Instant now) {
        return query.silenced() == null
                || query.silenced()
                        != silences.silencedBy(incident.tenantId(), SilenceLabels.of(incident), now)
                                .isEmpty();
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

    private static NotFoundException notFound(final String id) {
        return new NotFoundException("incident " + Texts.abbreviateId(id) + " not found");
    }
}
