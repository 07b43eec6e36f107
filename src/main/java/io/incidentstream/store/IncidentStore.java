package io.incidentstream.store;

import io.incidentstream.model.AlertKey;
import io.incidentstream.model.CommandResult;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentId;
import io.incidentstream.model.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The processor's view of one partition's stores. {@link #save} is the only write path, and it
 * updates the primary store, the alert mapping, the list index and the expiry index together, in
 * the same task and transaction: an incident appears in each index exactly once, never orphaned.
 */
public final class IncidentStore {
    private static final byte[] EMPTY = new byte[0];
    private static final String SEQUENCE_KEY = "next";

    private final KeyValueStore<String, Incident> incidents;
    private final KeyValueStore<String, String> byAlert;
    private final KeyValueStore<Bytes, byte[]> index;
    private final KeyValueStore<Bytes, byte[]> expiry;
    private final KeyValueStore<String, Long> sequence;
    private final KeyValueStore<String, byte[]> results;

    public IncidentStore(final KeyValueStore<String, Incident> incidents, final KeyValueStore<String, String> byAlert,
                         final KeyValueStore<Bytes, byte[]> index, final KeyValueStore<Bytes, byte[]> expiry,
                         final KeyValueStore<String, Long> sequence, final KeyValueStore<String, byte[]> results) {
        this.incidents = incidents;
        this.byAlert = byAlert;
        this.index = index;
        this.expiry = expiry;
        this.sequence = sequence;
        this.results = results;
    }

    public static IncidentStore from(final ProcessingContext context) {
        return new IncidentStore(context.getStateStore(IncidentStores.INCIDENTS), context.getStateStore(IncidentStores.BY_ALERT),
            context.getStateStore(IncidentStores.INDEX), context.getStateStore(IncidentStores.EXPIRY),
            context.getStateStore(IncidentStores.SEQUENCE), context.getStateStore(IncidentStores.COMMAND_RESULTS));
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
        final Long next = sequence.get(SEQUENCE_KEY);
        final long value = next == null ? 1 : next;
        sequence.put(SEQUENCE_KEY, value + 1);
        return IncidentId.of(partition, value);
    }

    /**
     * Writes the new state of an incident and moves its index entries.
     *
     * @param before the stored state of the same incident, or null when it is new
     */
    public void save(final Incident before, final Incident after) {
        if (before != null && !before.id().equals(after.id())) {
            throw new IllegalArgumentException("save() of " + after.id() + " with the state of " + before.id());
        }
        incidents.put(after.id(), after);
        if (before == null && after.source() == Source.AUTOMATED) {
            byAlert.put(after.alertKey().asString(), after.id());
        }
        moveIndexEntries(before == null ? Set.of() : IndexKeys.keysOf(before), IndexKeys.keysOf(after));
        final Bytes oldDue = before == null ? null : ExpiryKeys.keyOf(before);
        final Bytes newDue = ExpiryKeys.keyOf(after);
        if (!Objects.equals(oldDue, newDue)) {
            if (oldDue != null) {
                expiry.delete(oldDue);
            }
            if (newDue != null) {
                expiry.put(newDue, EMPTY);
            }
        }
    }

    /** Removes an incident from every store and index; the alert mapping too if it still points here. */
    public void delete(final Incident incident) {
        incidents.delete(incident.id());
        moveIndexEntries(IndexKeys.keysOf(incident), Set.of());
        final Bytes due = ExpiryKeys.keyOf(incident);
        if (due != null) {
            expiry.delete(due);
        }
        final String key = incident.alertKey().asString();
        if (incident.id().equals(byAlert.get(key))) {
            byAlert.delete(key);
        }
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
                index.delete(key);
            }
        }
        for (Bytes key : after) {
            if (!before.contains(key)) {
                index.put(key, EMPTY);
            }
        }
    }

    /**
     * Open incidents whose {@code validUntil} lies before {@code now}, earliest first, at most
     * {@code max}: a range over the expiry index, so the cost is O(returned), whatever the store holds.
     */
    public List<Incident> dueBefore(final Instant now, final int max) {
        final List<Incident> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = expiry.range(ExpiryKeys.first(), ExpiryKeys.dueBefore(now.toEpochMilli()))) {
            while (it.hasNext() && due.size() < max) {
                final KeyValue<Bytes, byte[]> entry = it.next();
                final Incident incident = incidents.get(ExpiryKeys.idOf(entry.key.get()));
                if (incident != null) {
                    due.add(incident);
                }
            }
        }
        return due;
    }
}
