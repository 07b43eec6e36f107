package io.incidentstream.store;

import io.incidentstream.codec.Json;
import io.incidentstream.grouping.GroupState;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Per-partition state of the groups whose key this partition owns, kept in the changelogged alert
 * mapping store ({@link IncidentStores#BY_ALERT}) beside the alert keys: for each group key its
 * {@link GroupState} (JSON), and for each member alert the incident it last joined. Keys:
 * {@code |g|<groupKey>} and {@code |m|<groupKey>|<alertId>}; alert keys start with a tenant id,
 * which never starts with {@code |}, and a group key ends with its closing brace, so no two meet.
 */
public final class GroupStore {
    private final KeyValueStore<String, String> store;

    public GroupStore(final KeyValueStore<String, String> store) {
        this.store = store;
    }

    public static GroupStore from(final ProcessingContext context) {
        return new GroupStore(context.getStateStore(IncidentStores.BY_ALERT));
    }

    public GroupState state(final String groupKey) {
        final String raw = store.get("|g|" + groupKey);
        if (raw == null) {
            return GroupState.EMPTY;
        }
        try {
            return Json.mapper().readValue(raw, GroupState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the state of group " + groupKey, e);
        }
    }

    public void save(final String groupKey, final GroupState state) {
        try {
            store.put("|g|" + groupKey, Json.mapper().writeValueAsString(state));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the state of group " + groupKey, e);
        }
    }

    /** The incident the alert last joined in this group, or null. */
    public String memberOf(final String groupKey, final String alertId) {
        return store.get(memberKey(groupKey, alertId));
    }

    public void join(final String groupKey, final String alertId, final String incidentId) {
        store.put(memberKey(groupKey, alertId), incidentId);
    }

    private static String memberKey(final String groupKey, final String alertId) {
        return "|m|" + groupKey + "|" + alertId;
    }
}
