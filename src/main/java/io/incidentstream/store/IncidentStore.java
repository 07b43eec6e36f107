package io.incidentstream.store;

import io.incidentstream.model.AlertKey;
import io.incidentstream.model.CommandResult;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentId;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Source;
import io.incidentstream.model.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The processor's view of one partition's stores. {@link #save} is the only write path, and it
 * updates the primary store, the alert mapping, the list index and its counts, the expiry index and
 * the retention index together, in the same task: an incident appears in each index exactly once,
 * never orphaned. The indexes are not changelogged; {@link #rebuildIndexes} derives them from the
 * incidents when a task cannot trust its local copy ({@link DerivedIndexes}).
 *
 * <p>The clock is the processing clock (Kafka Streams' wall clock, mocked in tests): the retention
 * index counts from it when an incident's own times lie ahead of it ({@link RetentionIndex}).
 */
public final class IncidentStore {
    private static final byte[] EMPTY = new byte[0];
    private static final String SEQUENCE_KEY = "next";

    private final KeyValueStore<String, Incident> incidents;
    private final KeyValueStore<String, String> byAlert;
    private final KeyValueStore<Bytes, byte[]> index;
    private final KeyValueStore<Bytes, byte[]> expiry;
    private final RetentionIndex retention;
    private final KeyValueStore<Bytes, byte[]> retentionStore;
    private final KeyValueStore<String, Long> counters;
    private final KeyValueStore<String, byte[]> results;
    private final LongSupplier clock;
    private final IndexedLabels indexedLabels;
    /**
     * The expiry index holds no entry before this time (epoch millis): the sweeps settled them all.
     * Kept in memory only, for this task's lifetime; it starts at the beginning of the index, and a
     * new entry before it (an alert whose validUntil already passed) moves it back.
     */
    private long expirySweptBefore = Long.MIN_VALUE;
    /** The rebuild under way ({@link #startRebuild}), or null when the derived stores are complete. */
    private IndexRebuild rebuild;

    private long rebuilt;

    /** Over the stores as given, with the system clock as the processing clock. */
    public IncidentStore(
            final KeyValueStore<String, Incident> incidents,
            final KeyValueStore<String, String> byAlert,
            final KeyValueStore<Bytes, byte[]> index,
            final KeyValueStore<Bytes, byte[]> expiry,
            final KeyValueStore<Bytes, byte[]> retention,
            final KeyValueStore<String, Long> counters,
            final KeyValueStore<String, byte[]> results) {
        this(incidents, byAlert, index, expiry, retention, counters, results, System::currentTimeMillis);
    }

    public IncidentStore(
            final KeyValueStore<String, Incident> incidents,
            final KeyValueStore<String, String> byAlert,
            final KeyValueStore<Bytes, byte[]> index,
            final KeyValueStore<Bytes, byte[]> expiry,
            final KeyValueStore<Bytes, byte[]> retention,
            final KeyValueStore<String, Long> counters,
            final KeyValueStore<String, byte[]> results,
            final LongSupplier clock) {
        this(incidents, byAlert, index, expiry, retention, counters, results, clock, IndexedLabels.NONE);
    }

    public IncidentStore(
            final KeyValueStore<String, Incident> incidents,
            final KeyValueStore<String, String> byAlert,
            final KeyValueStore<Bytes, byte[]> index,
            final KeyValueStore<Bytes, byte[]> expiry,
            final KeyValueStore<Bytes, byte[]> retention,
            final KeyValueStore<String, Long> counters,
            final KeyValueStore<String, byte[]> results,
            final LongSupplier clock,
            final IndexedLabels indexedLabels) {
        this.indexedLabels = indexedLabels;
        this.incidents = incidents;
        this.byAlert = byAlert;
        this.index = index;
        this.expiry = expiry;
        this.retentionStore = retention;
        this.retention = new RetentionIndex(retention);
        this.counters = counters;
        this.results = results;
        this.clock = clock;
    }

    public static IncidentStore from(final ProcessingContext context, final IndexedLabels indexedLabels) {
        return new IncidentStore(
                context.getStateStore(IncidentStores.INCIDENTS),
                context.getStateStore(IncidentStores.BY_ALERT),
                context.getStateStore(IncidentStores.INDEX),
                context.getStateStore(IncidentStores.EXPIRY),
                context.getStateStore(IncidentStores.RETENTION),
                context.getStateStore(IncidentStores.COUNTERS),
                context.getStateStore(IncidentStores.COMMAND_RESULTS),
                context::currentSystemTimeMs,
                indexedLabels);
    }

    public Incident get(final String id) {
        return incidents.get(id);
    }

    /** The latest incident of an alert, open or closed, or null if the alert never fired. */
    public Incident latestFor(final AlertKey key) {
        final String id = byAlert.get(key.asString());
        return id == null ? null : incidents.get(id);
    }

    /** A new incident id for this partition; the sequence lives in a changelogged store, so ids survive restarts. */
    public String nextId(final int partition) {
        final Long next = counters.get(SEQUENCE_KEY);
        final long value = next == null ? 1 : next;
        counters.put(SEQUENCE_KEY, value + 1);
        return IncidentId.of(partition, value);
    }

    /**
     * Writes the new state of an incident and moves its index entries. A fold that leaves what the
     * list index orders, filters and counts by (status, severity, source, createdAt, updatedAt, alert
     * and template ids, indexed labels) alone writes the incident only: re-fires, the bulk of all traffic, cost no index
     * churn. The expiry entry is kept lazily (see {@link #dueBefore}): it is written when an
     * incident opens and not moved when {@code validUntil} moves forward, nor removed when it closes.
     *
     * @param before the stored state of the same incident, or null when it is new
     */
    public void save(final Incident before, final Incident after) {
        if (before != null && !before.id().equals(after.id())) {
            throw new IllegalArgumentException("save() of " + after.id() + " with the state of " + before.id());
        }
        incidents.put(after.id(), after);
        if (before == null && after.source() == Source.AUTOMATED && !after.grouped()) {
            byAlert.put(after.alertKey().asString(), after.id());
        }
        final boolean indexed = indexed(after.id());
        if (before == null || !sameListing(before, after)) {
            moveOpenCount(before, after);
            if (indexed) {
                moveIndexEntries(
                        before == null ? Set.of() : IndexKeys.keysOf(before, indexedLabels),
                        IndexKeys.keysOf(after, indexedLabels));
                moveCount(before, after);
                retention.update(before, after, clock.getAsLong());
            }
        }
        if (indexed && needsExpiryEntry(before, after)) {
            scheduleExpiry(after);
        }
    }

    /**
     * Whether the derived stores hold this incident and must follow its changes: always, except during
     * an incremental rebuild for an incident its walk has not reached yet ({@link IndexRebuild}).
     */
    private boolean indexed(final String id) {
        return rebuild == null || rebuild.passed(id);
    }

    /**
     * Puts an expiry entry at the incident's next due time: for a grouped incident the sweep leaves
     * open (some members expired, others still fire), whose entry the sweep has just consumed.
     */
    public void expireLater(final Incident incident) {
        if (incident.status().isOpen() && ExpiryKeys.dueAt(incident) != null && indexed(incident.id())) {
            scheduleExpiry(incident);
        }
    }

    private void scheduleExpiry(final Incident incident) {
        expiry.put(ExpiryKeys.keyOf(incident), EMPTY);
        expirySweptBefore =
                Math.min(expirySweptBefore, ExpiryKeys.dueAt(incident).toEpochMilli());
    }

    /** Whether two states of one incident have the same list-index entries, counts and retention entry. */
    private boolean sameListing(final Incident before, final Incident after) {
        return before.status() == after.status()
                && before.severity() == after.severity()
                && before.createdAt().equals(after.createdAt())
                && before.updatedAt().equals(after.updatedAt())
                && Objects.equals(before.alertId(), after.alertId())
                && Objects.equals(before.alertTemplateId(), after.alertTemplateId())
                && before.source() == after.source()
                && sameIndexedLabels(before, after);
    }

    private boolean sameIndexedLabels(final Incident before, final Incident after) {
        if (before.labels().equals(after.labels())) {
            return true;
        }
        for (String name : indexedLabels.names()) {
            if (!Objects.equals(before.labels().get(name), after.labels().get(name))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The expiry index holds, for every open incident with a {@code validUntil}, at least one entry at
     * or before it. An entry is due when the incident opens (or gains an earlier {@code validUntil},
     * which the lifecycle never does, but this stays correct if it did); a later {@code validUntil} is
     * picked up by the sweep.
     */
    private static boolean needsExpiryEntry(final Incident before, final Incident after) {
        final Instant due = ExpiryKeys.dueAt(after);
        if (!after.status().isOpen() || due == null) {
            return false;
        }
        final Instant dueBefore = before == null ? null : ExpiryKeys.dueAt(before);
        return before == null || !before.status().isOpen() || dueBefore == null || due.isBefore(dueBefore);
    }

    /** Moves the incident between the list index's counts, in one write batch ({@link IndexCounts}). */
    private void moveCount(final Incident before, final Incident after) {
        final List<KeyValue<Bytes, byte[]>> writes = IndexCounts.move(index, before, after);
        if (!writes.isEmpty()) {
            index.putAll(writes);
        }
    }

    /**
     * Removes an incident from every store and index; the alert mapping too if it still points here.
     * Its expiry entries, kept lazily, are dropped by the sweep when they fall due and find no incident.
     */
    public void delete(final Incident incident) {
        IncidentStores.remove(incidents, incident.id());
        moveOpenCount(incident, null);
        if (indexed(incident.id())) {
            moveIndexEntries(IndexKeys.keysOf(incident, indexedLabels), Set.of());
            moveCount(incident, null);
            retention.remove(incident.id());
        }
        final String key = incident.alertKey().asString();
        if (!incident.grouped() && incident.id().equals(byAlert.get(key))) {
            IncidentStores.remove(byAlert, key);
        }
    }

    /**
     * Rebuilds the list index and its counts, the expiry and the retention index from the incidents,
     * as {@link #save} would have left them (the expiry index with one entry per open incident, at
     * its {@code validUntil}): what a task does when it cannot trust them ({@link DerivedIndexes}).
     * O(incidents), in one go; {@link #startRebuild} spreads the same work over slices. Every closed
     * incident gets its retention entry, so incidents that an earlier version left without one (closed
     * before retention existed, or in an index of an earlier layout) are purged like the rest.
     *
     * @return the number of incidents indexed
     */
    public long rebuildIndexes() {
        startRebuild();
        final IndexRebuild running = rebuild;
        final boolean done = rebuildSlice(Integer.MAX_VALUE, Duration.ofDays(365));
        assert done : "an unbounded slice completes the rebuild";
        return running.indexed();
    }

    /**
     * Starts an incremental rebuild ({@link IndexRebuild}): from here until a {@link #rebuildSlice}
     * reports it done, the expiry and retention sweeps must not run ({@link #rebuilding}), and saves
     * keep the derived stores only for incidents the rebuild has passed.
     */
    public void startRebuild() {
        rebuilt = 0;
        rebuild = new IndexRebuild(incidents, index, expiry, retentionStore, retention, indexedLabels, clock);
    }

    /**
     * Runs one slice of the rebuild started by {@link #startRebuild}: at most {@code maxEntries} keys
     * read, for about {@code maxTime} at most.
     *
     * @return whether the rebuild is complete (then also when there was none)
     */
    public boolean rebuildSlice(final int maxEntries, final Duration maxTime) {
        if (rebuild == null) {
            return true;
        }
        final boolean done = rebuild.step(maxEntries, System.nanoTime() + maxTime.toNanos());
        rebuilt = rebuild.indexed();
        if (!done) {
            return false;
        }
        rebuild = null;
        expirySweptBefore = Long.MIN_VALUE;
        retention.rewind();
        return true;
    }

    /** Whether an incremental rebuild is under way: the derived stores are incomplete. */
    public boolean rebuilding() {
        return rebuild != null;
    }

    /** Incidents the last (or running) rebuild has indexed so far. */
    public long rebuiltSoFar() {
        return rebuilt;
    }

    /** The result of a command already applied on this partition, or null. */
    public CommandResult resultOf(final String commandId) {
        return CommandResults.get(results, commandId);
    }

    public void recordResult(final CommandResult result) {
        CommandResults.put(results, result);
    }

    /** Forgets command results older than {@code retention}; a repeat after that would apply again. */
    public int expireResults(final Instant now, final Duration retention, final int max) {
        return CommandResults.expire(results, now, retention, max);
    }

    private void moveIndexEntries(final Set<Bytes> before, final Set<Bytes> after) {
        for (Bytes key : before) {
            if (!after.contains(key)) {
                IncidentStores.remove(index, key);
            }
        }
        for (Bytes key : after) {
            if (!before.contains(key)) {
                index.put(key, EMPTY);
            }
        }
    }

    /** Receives one open-incident count. */
    @FunctionalInterface
    public interface OpenCount {
        void accept(Severity severity, Status status, long count);
    }

    /**
     * Reports this partition's open incidents by severity and status, from counters kept in the
     * same changelogged store and transaction as the incidents: exact after any restore, and read
     * in O(1) (eight keys) rather than by walking incidents.
     */
    public void forEachOpenCount(final OpenCount action) {
        for (Severity severity : Severity.values()) {
            for (Status status : Status.values()) {
                if (status.isOpen()) {
                    final Long count = counters.get(openKey(severity, status));
                    action.accept(severity, status, count == null ? 0 : count);
                }
            }
        }
    }

    private void moveOpenCount(final Incident before, final Incident after) {
        final String from =
                before == null || !before.status().isOpen() ? null : openKey(before.severity(), before.status());
        final String to = after == null || !after.status().isOpen() ? null : openKey(after.severity(), after.status());
        if (Objects.equals(from, to)) {
            return;
        }
        if (from != null) {
            addToCounter(from, -1);
        }
        if (to != null) {
            addToCounter(to, 1);
        }
    }

    private void addToCounter(final String key, final long delta) {
        final Long current = counters.get(key);
        counters.put(key, (current == null ? 0 : current) + delta);
    }

    private static String openKey(final Severity severity, final Status status) {
        return "open/" + severity.name() + "/" + status.name();
    }

    /**
     * Sweeps the expiry index up to {@code now} and returns the open incidents whose
     * {@code validUntil} lies before it, earliest entry first. Entries are kept lazily, so each due
     * entry is settled here: dropped when its incident is gone or closed, moved to the incident's
     * real {@code validUntil} when that lies later (a re-fire extended it). At most {@code max}
     * entries are settled per call, each read once from a range that stops at now: the cost is
     * O(due entries), whatever the store holds, and an incident re-fired for hours costs one move
     * per TTL, not one per check.
     */
    public List<Incident> dueBefore(final Instant now, final int max) {
        final long nowMillis = now.toEpochMilli();
        final List<Bytes> entries = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it =
                expiry.range(ExpiryKeys.from(expirySweptBefore), ExpiryKeys.dueBefore(nowMillis))) {
            while (it.hasNext() && entries.size() < max) {
                entries.add(it.next().key);
            }
        }
        // Everything before this has been settled (deleted or moved); the next sweep starts there
        // instead of walking RocksDB's tombstones of every entry ever expired.
        expirySweptBefore = entries.size() < max
                ? Math.max(expirySweptBefore, nowMillis)
                : ExpiryKeys.timeOf(entries.get(entries.size() - 1).get());
        final Map<String, Incident> due = new LinkedHashMap<>();
        for (Bytes entry : entries) {
            IncidentStores.remove(expiry, entry);
            final String id = ExpiryKeys.idOf(entry.get());
            final Incident incident = due.containsKey(id) ? null : incidents.get(id);
            if (incident == null || !incident.status().isOpen() || ExpiryKeys.dueAt(incident) == null) {
                continue;
            }
            if (ExpiryKeys.dueAt(incident).isBefore(now)) {
                due.put(id, incident);
            } else {
                scheduleExpiry(incident);
            }
        }
        return new ArrayList<>(due.values());
    }

    /**
     * Closed incidents that closed before {@code cutoff} ({@link RetentionIndex}: their last change,
     * at the latest when this partition saw it), oldest first, at most {@code max}: a range over the
     * retention index, so the cost is O(returned), whatever the store holds.
     */
    public List<Incident> closedBefore(final Instant cutoff, final int max) {
        return retention.closedBefore(cutoff, max, incidents::get);
    }
}
