package io.incidentstream.store;

import io.incidentstream.codec.Json;
import io.incidentstream.grouping.GroupState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Per-partition state of the groups whose key this partition owns, kept in the changelogged alert
 * mapping store ({@link IncidentStores#BY_ALERT}) beside the alert keys: for each group key its
 * {@link GroupState} (JSON), and for each member alert the incident it last joined. Keys:
 * {@code |g|<groupKey>} and {@code |m|<groupKey>|<alertId>}; alert keys start with a tenant id,
 * which never starts with {@code |}, and a group key ends with its closing brace, so no two meet.
 *
 * <p>Every grouped alert reads its group's state, and parsing it (the rule included) was a tenth of
 * the grouped stream thread. The last states read or written are kept parsed beside the text they
 * were parsed from: a read whose stored text equals the kept text takes the kept state, so the store
 * stays the only truth (a restore, a standby promotion or another writer cannot be missed; a state is
 * immutable). Bounded by {@link #CACHED_GROUPS} groups and {@link #MAX_CACHED_CHARS} per state.
 */
public final class GroupStore {
    static final int CACHED_GROUPS = 4096;
    static final int MAX_CACHED_CHARS = 8192;

    private record Parsed(String raw, GroupState state) {}

    private final KeyValueStore<String, String> store;
    private final Map<String, Parsed> parsed = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<String, Parsed> eldest) {
            return size() > CACHED_GROUPS;
        }
    };

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
        final Parsed kept = parsed.get(groupKey);
        if (kept != null && kept.raw().equals(raw)) {
            return kept.state();
        }
        final GroupState state;
        try {
            state = Json.mapper().readValue(raw, GroupState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the state of group " + groupKey, e);
        }
        keep(groupKey, raw, state);
        return state;
    }

    public void save(final String groupKey, final GroupState state) {
        final String raw;
        try {
            raw = Json.mapper().writeValueAsString(state);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the state of group " + groupKey, e);
        }
        store.put("|g|" + groupKey, raw);
        keep(groupKey, raw, state);
    }

    private void keep(final String groupKey, final String raw, final GroupState state) {
        if (raw.length() <= MAX_CACHED_CHARS) {
            parsed.put(groupKey, new Parsed(raw, state));
        } else {
            parsed.remove(groupKey);
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
