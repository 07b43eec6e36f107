package io.incidentstream.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.incidentstream.grouping.GroupState;
import io.incidentstream.grouping.GroupingRule;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The parsed states {@link GroupStore} keeps never hide what the store holds. */
class GroupStoreTest {
    private static final String GROUP = "{acme|host-down|host=db-1}";
    private static final GroupingRule RULE =
            new GroupingRule("host-down", 0, null, List.of("host"), "PT30M", null, "all", null, null);

    private final InMemoryStores stores = new InMemoryStores();
    private final KeyValueStore<String, String> store = stores.create("by-alert", Serdes.String(), Serdes.String());
    private final GroupStore groups = new GroupStore(store);

    @AfterEach
    void close() {
        stores.close();
    }

    @Test
    void shouldReadBackWhatWasSavedWithoutParsingAgain() {
        final GroupState saved = new GroupState("inc-1", RULE, List.of());
        groups.save(GROUP, saved);
        assertSame(saved, groups.state(GROUP));
        assertSame(saved, groups.state(GROUP));
    }

    @Test
    void shouldReadWhatTheStoreHoldsWhenItChangedBehindTheKeptState() {
        groups.save(GROUP, new GroupState("inc-1", RULE, List.of()));
        // As a restore or a standby promotion would: the store changes without a save.
        final GroupStore other = new GroupStore(store);
        other.save(GROUP, new GroupState("inc-2", RULE, List.of()));
        assertEquals("inc-2", groups.state(GROUP).incidentId());
        store.delete("|g|" + GROUP);
        assertSame(GroupState.EMPTY, groups.state(GROUP));
    }

    @Test
    void shouldReadEveryGroupWhenThereAreMoreThanItKeeps() {
        for (int n = 0; n < GroupStore.CACHED_GROUPS * 2; n++) {
            groups.save(GROUP + n, new GroupState("inc-" + n, RULE, List.of()));
        }
        for (int n = 0; n < GroupStore.CACHED_GROUPS * 2; n++) {
            assertEquals("inc-" + n, groups.state(GROUP + n).incidentId());
        }
    }
}
