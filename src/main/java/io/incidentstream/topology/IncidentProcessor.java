package io.incidentstream.topology;

import io.incidentstream.grouping.GroupLifecycle;
import io.incidentstream.grouping.GroupState;
import io.incidentstream.grouping.ResolveWhen;
import io.incidentstream.grouping.Rule;
import io.incidentstream.metrics.IncidentMetrics;
import io.incidentstream.metrics.OpenIncidentGauges;
import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.Commands;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentCommand;
import io.incidentstream.model.IncidentHeaders;
import io.incidentstream.model.Lifecycle;
import io.incidentstream.model.MemberAlert;
import io.incidentstream.model.TimelineEntry;
import io.incidentstream.store.DerivedIndexes;
import io.incidentstream.store.GroupStore;
import io.incidentstream.store.IncidentStore;
import io.incidentstream.store.IndexedLabels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of incident state for its partition: folds alert events into incidents, applies
 * API commands, and, on a wall-clock punctuation, expires incidents whose {@code validUntil} has
 * passed and purges closed incidents older than {@code INCIDENT_RETENTION}. Alerts and commands of one incident meet here in one order, so there is no race between
 * a person resolving an incident and its alert firing again. A thin adapter: read the store, call
 * {@link Lifecycle} or {@link Commands}, save, forward the change, move the meters.
 *
 * <p>Logging: task start and end at INFO (they follow rebalances, which operators want to see);
 * each transition at DEBUG only, since at scale one line per incident change is noise and the
 * {@code incidents.*} counters are the signal.
 */
final class IncidentProcessor implements Processor<String, Input, String, IncidentChange> {
    /** How long command results are kept for the caller to read and for repeats to be recognised. */
    static final Duration RESULT_RETENTION = Duration.ofHours(1);

    /**
     * Kafka Streams property (passed through to processors): keys an index-rebuild slice reads at
     * most ({@link #DEFAULT_REBUILD_SLICE}); tests set it small to spread a rebuild over punctuations.
     */
    static final String REBUILD_SLICE_CONFIG = "incident.index.rebuild.slice";

    static final int DEFAULT_REBUILD_SLICE = 50_000;
    /** Well below any {@code max.poll.interval.ms}, and short enough not to stall the fold for long. */
    static final Duration REBUILD_SLICE_TIME = Duration.ofMillis(250);
    /** A slice at every stream-thread iteration, between the records it processes. */
    static final Duration REBUILD_INTERVAL = Duration.ofMillis(1);

    private static final Duration REBUILD_LOG_EVERY = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(IncidentProcessor.class);

    private final Lifecycle lifecycle;
    private final GroupLifecycle groupLifecycle;
    private final Grouping grouping = new Grouping();
    private GroupStore groups;
    private final Commands commands;
    private final IncidentMetrics metrics;
    private final Duration expiryInterval;
    private final int expiryMaxPerTick;
    private final Duration retention;
    private final IndexedLabels indexedLabels;
    private ProcessorContext<String, IncidentChange> context;
    private IncidentStore store;
    private DerivedIndexes derived;
    private int partition;
    private OpenIncidentGauges.PartitionCounts openCounts;
    private int rebuildSlice = DEFAULT_REBUILD_SLICE;
    private long rebuildStarted;
    private long rebuildLogged;
    private Cancellable rebuildPunctuation;

    IncidentProcessor(
            final Lifecycle lifecycle,
            final Commands commands,
            final IncidentMetrics metrics,
            final Duration expiryInterval,
            final int expiryMaxPerTick,
            final Duration retention,
            final IndexedLabels indexedLabels) {
        this.indexedLabels = indexedLabels;
        this.lifecycle = lifecycle;
        this.groupLifecycle = new GroupLifecycle(lifecycle.flapWindow());
        this.commands = commands;
        this.metrics = metrics;
        this.expiryInterval = expiryInterval;
        this.expiryMaxPerTick = expiryMaxPerTick;
        this.retention = retention;
    }

    /**
     * Called once the task's stores are restored, on every (re)assignment of the partition: the
     * open-incident gauges take this partition's counts from its counters store (kept with the
     * state, so exact after restarts and rebalances, and O(1) to read).
     */
    @Override
    public void init(final ProcessorContext<String, IncidentChange> context) {
        this.context = context;
        this.store = IncidentStore.from(context, indexedLabels);
        this.groups = GroupStore.from(context);
        this.partition = context.taskId().partition();
        this.derived = DerivedIndexes.from(context, indexedLabels);
        openCounts = metrics.openIncidents().assign(partition);
        store.forEachOpenCount(openCounts::set);
        LOG.info("Task {} started on partition {}", context.taskId(), partition);
        if (derived.startTrusted(exactlyOnce(context))) {
            derived.ready();
        } else {
            startRebuild(context);
        }
        context.schedule(expiryInterval, PunctuationType.WALL_CLOCK_TIME, this::expire);
    }

    /**
     * Rebuilds the derived indexes in slices of at most {@link #REBUILD_SLICE_CONFIG} keys and
     * {@link #REBUILD_SLICE_TIME}: the first here, the rest one per stream-thread iteration (a
     * wall-clock punctuation), with events folded in between. A partition of millions of incidents
     * thus never holds the thread past {@code max.poll.interval.ms}; its reads answer 503 until the
     * last slice, and its expiry and retention sweeps wait for it.
     */
    private void startRebuild(final ProcessorContext<String, IncidentChange> context) {
        final Object slice = context.appConfigs().get(REBUILD_SLICE_CONFIG);
        rebuildSlice = slice == null ? DEFAULT_REBUILD_SLICE : Integer.parseInt(slice.toString());
        rebuildStarted = System.nanoTime();
        rebuildLogged = rebuildStarted;
        store.startRebuild();
        if (!rebuildStep()) {
            LOG.info(
                    "Task {} is rebuilding its list, expiry and retention indexes; reads of partition {} answer 503 until done",
                    context.taskId(),
                    partition);
            rebuildPunctuation =
                    context.schedule(REBUILD_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> rebuildStep());
        }
    }

    /** One slice of the rebuild; when it completes it, the indexes are ready and reads are served. */
    private boolean rebuildStep() {
        final long before = store.rebuiltSoFar();
        final boolean done = store.rebuildSlice(rebuildSlice, REBUILD_SLICE_TIME);
        final long indexed = store.rebuiltSoFar();
        metrics.indexRebuilt(indexed - before);
        if (!done) {
            if (System.nanoTime() - rebuildLogged >= REBUILD_LOG_EVERY.toNanos()) {
                rebuildLogged = System.nanoTime();
                LOG.info(
                        "Task {} index rebuild: {} incidents indexed in {} s",
                        context.taskId(),
                        indexed,
                        Duration.ofNanos(rebuildLogged - rebuildStarted).toSeconds());
            }
            return false;
        }
        if (rebuildPunctuation != null) {
            rebuildPunctuation.cancel();
            rebuildPunctuation = null;
        }
        derived.ready();
        final Duration took = Duration.ofNanos(System.nanoTime() - rebuildStarted);
        metrics.indexRebuild(took);
        LOG.info(
                "Task {} rebuilt the list, expiry and retention indexes of {} incidents of partition {} in {} ms",
                context.taskId(),
                indexed,
                partition,
                took.toMillis());
        return true;
    }

    @Override
    public void process(final Record<String, Input> record) {
        if (record.value().alert() != null) {
            final Rule rule = grouping.ruleOf(record.headers());
            if (rule == null) {
                applyAlert(record.value().alert(), record.timestamp());
            } else {
                applyGrouped(rule, record.value().alert(), record.timestamp());
            }
        } else {
            applyCommand(record.value().command(), record.timestamp());
        }
    }

    private void applyAlert(final AlertEvent event, final long timestamp) {
        metrics.eventLag(Duration.ofMillis(
                context.currentSystemTimeMs() - event.checkedAt().toEpochMilli()));
        final Incident latest = store.latestFor(event.key());
        final Lifecycle.Result result = lifecycle.apply(latest, event, () -> store.nextId(partition));
        metrics.alertApplied(result.outcome());
        if (result.outcome().changed()) {
            final Incident before =
                    latest != null && latest.id().equals(result.incident().id()) ? latest : null;
            save(before, IncidentChange.of(result), timestamp);
        }
    }

    /**
     * Folds an alert that a grouping rule took into its group's incident: the group state, the
     * incidents it touches and the member mapping are written together, in the same task.
     */
    private void applyGrouped(final Rule rule, final AlertEvent event, final long timestamp) {
        metrics.eventLag(Duration.ofMillis(
                context.currentSystemTimeMs() - event.checkedAt().toEpochMilli()));
        final Map<String, String> labels = rule.groupLabels(event);
        final GroupLifecycle.Group group =
                new GroupLifecycle.Group(rule, rule.groupKey(event.tenantId(), labels), labels);
        final GroupState state = groups.state(group.key());
        final Incident current = state.incidentId() == null ? null : store.get(state.incidentId());
        final String memberOf = groups.memberOf(group.key(), event.alertId());
        // Usually the alert is a member of the group's current incident: read (and decode) it once.
        final Incident member = memberOf == null
                ? null
                : current != null && memberOf.equals(current.id()) ? current : store.get(memberOf);
        final GroupLifecycle.Result result =
                groupLifecycle.apply(group, state, current, member, event, () -> store.nextId(partition));
        metrics.alertApplied(result.outcome());
        if (!result.state().equals(state)) {
            groups.save(group.key(), result.state());
        }
        for (GroupLifecycle.Change change : result.changes()) {
            save(
                    change.before(),
                    new IncidentChange(change.after(), change.type(), change.transition(), false),
                    timestamp);
            if (change.before() == null && change.after().alerts() != null) {
                for (MemberAlert m : change.after().alerts()) {
                    groups.join(group.key(), m.alertId(), change.after().id());
                }
            }
        }
        if (result.memberOf() != null) {
            groups.join(group.key(), event.alertId(), result.memberOf());
        }
    }

    /** Applies a command once: a command id already recorded is a repeat and changes nothing. */
    private void applyCommand(final IncidentCommand command, final long timestamp) {
        if (store.resultOf(command.commandId()) != null) {
            return;
        }
        final Incident current = command.incidentId() == null ? null : store.get(command.incidentId());
        final Commands.Applied applied = commands.apply(current, command, () -> store.nextId(partition));
        if (applied.deleted()) {
            store.delete(applied.incident());
            openCounts.move(applied.incident(), null);
            record(new IncidentChange(applied.incident(), "deleted", applied.transition(), true), timestamp);
        } else if (applied.incident() != null) {
            final String type = command.kind() == IncidentCommand.Kind.CREATE ? "created" : "updated";
            save(current, new IncidentChange(applied.incident(), type, applied.transition(), false), timestamp);
        }
        // Last: the API answers as soon as it sees the result, and then reads the incident.
        store.recordResult(applied.result());
    }

    /** Expires due incidents, at most {@code expiryMaxPerTick} per call; the rest go at the next tick. */
    private void expire(final long now) {
        final long started = System.nanoTime();
        final Instant at = Instant.ofEpochMilli(now);
        if (!store.rebuilding()) {
            expireDue(at, now);
            purge(at);
        }
        store.expireResults(at, RESULT_RETENTION, expiryMaxPerTick);
        metrics.expirySweep(Duration.ofNanos(System.nanoTime() - started));
    }

    /** Expires due incidents, at most {@code expiryMaxPerTick}; only once the expiry index is complete. */
    private void expireDue(final Instant at, final long now) {
        for (Incident incident : store.dueBefore(at, expiryMaxPerTick)) {
            if (incident.grouped()) {
                expireMembers(incident, at, now);
                continue;
            }
            final Lifecycle.Result result = lifecycle.expire(incident, at);
            if (result.outcome().changed()) {
                save(incident, IncidentChange.of(result), now);
            }
        }
    }

    /** Expires the due members of a grouped incident, and the incident once none fires (per its group's rule). */
    private void expireMembers(final Incident incident, final Instant at, final long now) {
        final GroupState state = groups.state(incident.groupKey());
        final ResolveWhen resolveWhen = state.rule() == null
                ? null
                : ResolveWhen.valueOf(state.rule().resolveWhen().toUpperCase(java.util.Locale.ROOT));
        Incident last = incident;
        for (GroupLifecycle.Change change : groupLifecycle.expire(incident, resolveWhen, at)) {
            save(change.before(), new IncidentChange(change.after(), change.type(), change.transition(), false), now);
            last = change.after();
        }
        store.expireLater(last);
    }

    /**
     * Purges closed incidents whose last change is older than the retention, at most
     * {@code expiryMaxPerTick} per call, oldest first: the same removal as a DELETE (every store and
     * index), a tombstone on {@code incidents} and a {@code purged} entry on {@code incident-events}.
     * Closed incidents are not in the open-count gauges, so those do not move.
     */
    private void purge(final Instant now) {
        for (Incident incident : store.closedBefore(now.minus(retention), expiryMaxPerTick)) {
            store.delete(incident);
            metrics.purged();
            final TimelineEntry entry =
                    new TimelineEntry(now, incident.status(), null, TimelineEntry.SOURCE_RETENTION, null, "purged");
            record(new IncidentChange(incident, "purged", entry, true), now.toEpochMilli());
        }
    }

    private void save(final Incident before, final IncidentChange change, final long timestamp) {
        store.save(before, change.incident());
        openCounts.move(before, change.incident());
        record(change, timestamp);
    }

    /** Counts and logs the transition, if any, and forwards the change to the output topics. */
    private void record(final IncidentChange change, final long timestamp) {
        if (change.transition() != null) {
            metrics.transition(change.transition());
            metrics.responseTime(change.incident(), change.transition());
            if (LOG.isDebugEnabled()) {
                LOG.debug(
                        "Incident {} {}: {} -> {}",
                        change.incident().id(),
                        change.type(),
                        change.transition().from(),
                        change.transition().to());
            }
        }
        final Headers headers = new RecordHeaders()
                .add(IncidentHeaders.TENANT, change.incident().tenantId().getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<>(change.incident().id(), change, timestamp, headers));
    }

    /**
     * Whether a clean close proves the local indexes consistent: under exactly-once, Kafka Streams
     * wipes a task's state directory after any dirty close; under at-least-once (or anything not
     * recognised: the safe side) it does not.
     */
    private static boolean exactlyOnce(final ProcessorContext<?, ?> context) {
        return StreamsConfig.EXACTLY_ONCE_V2.equals(
                String.valueOf(context.appConfigs().get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)));
    }

    /**
     * The task is closed (revoked, migrated, shutting down): its partition's open incidents leave the
     * gauges, and the indexes are marked consistent with the incidents (Kafka Streams closes the stores
     * after the processors and wipes them if the close turns out dirty under exactly-once).
     */
    @Override
    public void close() {
        if (derived != null && !store.rebuilding()) {
            derived.closeCleanly();
        }
        if (openCounts != null) {
            metrics.openIncidents().release(partition, openCounts);
            LOG.info("Task {} closed: partition {} no longer counted here", context.taskId(), partition);
        }
    }
}
