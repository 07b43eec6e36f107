package io.incidentstream.store;

import io.incidentstream.codec.Json;
import io.incidentstream.model.CommandResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Results of applied commands, per partition: {@code r/<commandId>} → result JSON, and a time
 * index {@code t/<at millis, 13 digits>/<commandId>} → empty, so that results older than the
 * retention are dropped by a range scan over the index (O(dropped)) instead of a full scan.
 */
public final class CommandResults {
    private static final String RESULT = "r/";
    private static final String TIME = "t/";
    private static final byte[] EMPTY = new byte[0];

    private CommandResults() {}

    public static CommandResult get(final ReadOnlyKeyValueStore<String, byte[]> store, final String commandId) {
        final byte[] json = store.get(RESULT + commandId);
        if (json == null) {
            return null;
        }
        try {
            return Json.mapper().readValue(json, CommandResult.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable command result " + commandId, e);
        }
    }

    static void put(final KeyValueStore<String, byte[]> store, final CommandResult result) {
        try {
            store.put(RESULT + result.commandId(), Json.mapper().writeValueAsBytes(result));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store.put(timeKey(result.at(), result.commandId()), EMPTY);
    }

    /** Drops results recorded before {@code now - retention}, at most {@code max}; returns how many. */
    static int expire(
            final KeyValueStore<String, byte[]> store, final Instant now, final Duration retention, final int max) {
        final List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.range(TIME, timeKey(now.minus(retention), ""))) {
            while (it.hasNext() && old.size() < max) {
                final KeyValue<String, byte[]> entry = it.next();
                old.add(entry.key);
            }
        }
        for (String key : old) {
            IncidentStores.remove(store, key);
            IncidentStores.remove(store, RESULT + key.substring(TIME.length() + 14));
        }
        return old.size();
    }

    private static String timeKey(final Instant at, final String commandId) {
        return TIME + String.format("%013d", Math.max(0, at.toEpochMilli())) + "/" + commandId;
    }
}
