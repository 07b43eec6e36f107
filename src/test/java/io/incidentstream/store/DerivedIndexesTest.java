package io.incidentstream.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When a task may keep its local indexes instead of rebuilding them from the incidents. */
class DerivedIndexesTest {
    private final InMemoryStores stores = new InMemoryStores();
    /** Local to this instance's state directory. */
    private final KeyValueStore<String, Long> state = stores.create("derived-state", Serdes.String(), Serdes.Long());
    /** Changelogged: what every instance that owns the partition sees after restoring. */
    private final KeyValueStore<String, Long> counters = stores.create("counters", Serdes.String(), Serdes.Long());

    @AfterEach
    void close() {
        stores.close();
    }

    private DerivedIndexes task() {
        return new DerivedIndexes(state, counters);
    }

    /** One task incarnation from start to clean close. */
    private static void runToCleanClose(final DerivedIndexes task, final boolean exactlyOnce) {
        task.startTrusted(exactlyOnce);
        task.ready();
        task.closeCleanly();
    }

    @Test
    void shouldRebuildOnTheFirstStart() {
        final DerivedIndexes task = task();
        assertFalse(task.startTrusted(true));
        assertFalse(DerivedIndexes.ready(state), "reads wait while the indexes are rebuilt");
        task.ready();
        assertTrue(DerivedIndexes.ready(state));
    }

    @Test
    void shouldKeepTheIndexesAfterACleanCloseUnderExactlyOnce() {
        runToCleanClose(task(), true);
        final DerivedIndexes second = task();
        assertTrue(second.startTrusted(true));
        assertTrue(DerivedIndexes.ready(state));
    }

    @Test
    void shouldRebuildOnceWhenTheIndexedLabelsChange() {
        final IndexedLabels before = IndexedLabels.of(List.of("service", "team"));
        runToCleanClose(new DerivedIndexes(state, counters, before), true);
        assertTrue(
                new DerivedIndexes(state, counters, IndexedLabels.of(List.of("team", "service"))).startTrusted(true),
                "the same names in another order are the same index");
        state.put(DerivedIndexes.CLEAN, counters.get(DerivedIndexes.GENERATION)); // as a clean close leaves it
        final DerivedIndexes changed =
                new DerivedIndexes(state, counters, IndexedLabels.of(List.of("service", "rack")));
        assertFalse(changed.startTrusted(true), "another set of labels: the index lacks the new ones");
        changed.ready();
        changed.closeCleanly();
        assertTrue(
                new DerivedIndexes(state, counters, IndexedLabels.of(List.of("service", "rack"))).startTrusted(true));
        state.put(DerivedIndexes.CLEAN, counters.get(DerivedIndexes.GENERATION));
        assertFalse(task().startTrusted(true), "none indexed any more: rebuilt without them");
    }

    @Test
    void shouldRebuildAfterACrash() {
        runToCleanClose(task(), true);
        final DerivedIndexes second = task();
        assertTrue(second.startTrusted(true));
        second.ready();
        // killed: no close
        assertFalse(task().startTrusted(true), "the clean mark is consumed at start, so a crash leaves none");
    }

    @Test
    void shouldRebuildWhenAnotherIncarnationRanInBetween() {
        runToCleanClose(task(), true);
        // the partition ran elsewhere (or this instance restored it as a standby): the changelogged generation moved on
        runToCleanClose(new DerivedIndexes(stores.create("elsewhere", Serdes.String(), Serdes.Long()), counters), true);
        assertFalse(task().startTrusted(true));
    }

    @Test
    void shouldAlwaysRebuildUnderAtLeastOnce() {
        runToCleanClose(task(), false);
        assertFalse(task().startTrusted(false));
        assertFalse(DerivedIndexes.ready(state));
    }

    @Test
    void shouldRebuildOnceWhenTheIndexesOnDiskHaveAnEarlierLayout() {
        runToCleanClose(task(), true);
        // what the version before the layout was recorded leaves: a clean close, no layout
        state.delete(DerivedIndexes.LAYOUT);
        final DerivedIndexes upgraded = task();
        assertFalse(upgraded.startTrusted(true), "an upgrade that changes the indexes rebuilds them");
        upgraded.ready();
        upgraded.closeCleanly();
        assertTrue(task().startTrusted(true), "and only once");
        runToCleanClose(task(), true);
        state.put(DerivedIndexes.LAYOUT, DerivedIndexes.CURRENT_LAYOUT - 1);
        assertFalse(task().startTrusted(true), "nor indexes of any other layout");
    }
}
