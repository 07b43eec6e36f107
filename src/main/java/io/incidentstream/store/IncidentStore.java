package io.incidentstream.store;

import io.incidentstream.model.AlertKey;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
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

    public IncidentStore(final KeyValueStore<String, Incident> incidents, final KeyValueStore<String, String> byAlert,
                         final KeyValueStore<Bytes, byte[]> index, final KeyValueStore<Bytes, byte[]> expiry,
                         final KeyValueStore<String, Long> sequence) {
        this.incidents = incidents;
        this.byAlert = byAlert;
        this.index = index;
        this.expiry = expiry;
        this.sequence = sequence;
    }

    public static IncidentStore from(final ProcessingContext context) {
        return new IncidentStore(context.getStateStore(IncidentStores.INCIDENTS), context.getStateStore(IncidentStores.BY_ALERT),
            context.getStateStore(IncidentStores.INDEX), context.getStateStore(IncidentStores.EXPIRY),
            context.getStateStore(IncidentStores.SEQUENCE));
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
        if (before == null) {
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
     * Calls {@code action} with every open incident of this partition: a walk over the expiry index,
     * which holds exactly the open ones, so it costs O(open incidents), not O(all incidents).
     */
    public void forEachOpen(final Consumer<Incident> action) {
        try (KeyValueIterator<Bytes, byte[]> it = expiry.all()) {
            while (it.hasNext()) {
                final Incident incident = incidents.get(ExpiryKeys.idOf(it.next().key.get()));
                if (incident != null) {
                    action.accept(incident);
                }
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
