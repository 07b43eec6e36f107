package io.incidentstream.store;

import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * When a task may trust its list, expiry and retention indexes, which are not changelogged
 * (IncidentStores#derived) and so are only as good as the local state directory they sit in.
 *
 * <p>The rule: the indexes are trusted only if the last task to own this partition here closed
 * cleanly and nobody changed the incidents since. Each incarnation of the task writes a fresh
 * random generation into the changelogged counters store ({@link #GENERATION}); a clean close
 * records that generation in the local {@code derived-state} store ({@link #CLEAN}). At the next
 * start the two agree only if
 * <ul>
 * <li>the close was clean: otherwise there is no mark (it is removed at every start), and under
 * exactly-once Kafka Streams wipes the whole task directory after a dirty close anyway;</li>
 * <li>and no other incarnation ran in between (on another instance, or this one as a standby that
 * restored someone else's changes): it would have written its own generation to the changelog,
 * which this instance has restored since;</li>
 * <li>and the indexes on disk have the layout this version reads and writes ({@link #LAYOUT}): an
 * upgrade that changes what the indexes hold (new families, new stores) rebuilds them once, which
 * also fills them for incidents that an earlier version never indexed; so does a change of
 * {@code INDEXED_LABELS} ({@link #LABELS}).</li>
 * </ul>
 * Anything else, and always under at-least-once (whose restores replay an unknown tail of the
 * changelog over the local stores), means a rebuild from {@code incidents-store}: O(incidents of
 * the partition), once per task start, spread over punctuations ({@link IndexRebuild}) while the
 * partition answers 503 ({@link #READY} absent).
 */
public final class DerivedIndexes {
    /** In {@code derived-state}: present once the indexes are complete and maintained by the running task. */
    static final String READY = "ready";
    /** In {@code derived-state}: the generation a clean close left the indexes consistent at. */
    static final String CLEAN = "clean";
    /** In the changelogged counters store: the generation of the task incarnation that last ran. */
    static final String GENERATION = "derived-indexes-generation";
    /** In {@code derived-state}: the layout of the indexes on disk; absent for the first layout. */
    static final String LAYOUT = "layout";

    /**
     * The layout this version keeps; raise it whenever what {@link IncidentStore#save} writes to a
     * derived store changes. 1 (absent): the first. 2: retention entries found by id, at clamped
     * times ({@link RetentionKeys}, {@link RetentionIndex}). 3: list index with the alert and template
     * families ({@link IndexKeys}). 4: and the counts beside it ({@link IndexCounts}).
     */
    static final long CURRENT_LAYOUT = 4;

    /** In {@code derived-state}: the {@link IndexedLabels#fingerprint} the list index was built with; absent for none. */
    static final String LABELS = "indexed-labels";

    private final KeyValueStore<String, Long> state;
    private final KeyValueStore<String, Long> counters;
    private final long labels;

    public DerivedIndexes(final KeyValueStore<String, Long> state, final KeyValueStore<String, Long> counters) {
        this(state, counters, IndexedLabels.NONE);
    }

    public DerivedIndexes(
            final KeyValueStore<String, Long> state,
            final KeyValueStore<String, Long> counters,
            final IndexedLabels indexedLabels) {
        this.state = state;
        this.counters = counters;
        this.labels = indexedLabels.fingerprint();
    }

    public static DerivedIndexes from(final ProcessingContext context, final IndexedLabels indexedLabels) {
        return new DerivedIndexes(
                context.getStateStore(IncidentStores.DERIVED_STATE),
                context.getStateStore(IncidentStores.COUNTERS),
                indexedLabels);
    }

    /**
     * Called once when the task starts, before it processes anything: whether the indexes on disk can
     * be used as they are. Either way the clean mark is consumed, so a crash from here on leaves none.
     *
     * @param cleanCloseProvesConsistency false under at-least-once (see the class comment)
     */
    public boolean startTrusted(final boolean cleanCloseProvesConsistency) {
        final Long clean = state.get(CLEAN);
        final Long generation = counters.get(GENERATION);
        state.delete(CLEAN);
        final boolean trusted = cleanCloseProvesConsistency
                && clean != null
                && clean.equals(generation)
                && Long.valueOf(CURRENT_LAYOUT).equals(state.get(LAYOUT))
                && labels == Objects.requireNonNullElse(state.get(LABELS), 0L);
        if (!trusted) {
            state.delete(READY);
            // A rebuild may take many punctuations, during which this task changes incidents: a clean
            // mark another instance holds for the old generation must no longer match from here on.
            newGeneration();
        }
        return trusted;
    }

    /** The indexes are complete: this incarnation takes a new generation, and reads are served. */
    public void ready() {
        newGeneration();
        state.put(LAYOUT, CURRENT_LAYOUT);
        state.put(LABELS, labels);
        state.put(READY, 1L);
    }

    private void newGeneration() {
        final Long previous = counters.get(GENERATION);
        long next;
        do {
            next = ThreadLocalRandom.current().nextLong();
        } while (previous != null && previous == next);
        counters.put(GENERATION, next);
    }

    /**
     * The task is closing with its indexes complete: they are consistent with the incidents at this
     * generation. Not called when a rebuild was still under way: the next start rebuilds again.
     */
    public void closeCleanly() {
        final Long generation = counters.get(GENERATION);
        if (generation != null) {
            state.put(CLEAN, generation);
        }
    }

    /** For reads: whether the partition's indexes are complete (not being rebuilt). */
    public static boolean ready(final ReadOnlyKeyValueStore<String, Long> state) {
        return state.get(READY) != null;
    }
}
