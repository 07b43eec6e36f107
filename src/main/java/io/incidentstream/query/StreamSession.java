package io.incidentstream.query;

import io.incidentstream.model.Incident;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One client of the live stream, from its first frame to its last, written to {@link Frames}:
 *
 * <ol>
 *   <li>with {@code Last-Event-ID}: the records it missed, read back from the topic up to where its
 *       queue begins ({@link FanOut.Subscriber#start()}), or {@code reset} when they are no longer
 *       retained (or the position is not one of this topic);</li>
 *   <li>with {@code snapshot}, when not resuming: the matching incidents, newest first and at most
 *       {@code snapshotMax}, then {@code snapshot-complete}. The queue began before the list was read,
 *       so nothing falls between the two; a queued change the snapshot already showed (same id, not
 *       updated after) is skipped;</li>
 *   <li>then its queue, each record once, and a heartbeat comment whenever nothing was sent for
 *       {@code heartbeat}, until the client goes or is dropped for falling behind. What the queue holds
 *       when the client's thread wakes is written at once and flushed once.</li>
 * </ol>
 *
 * Each incident frame's id is the position after it (for a queued record, the fan-out's position after
 * it, which also passes the records before it that the client's filter did not take); snapshot frames carry none (a client cut off
 * during the snapshot asks for it again), {@code snapshot-complete} and {@code reset} carry the
 * position the changes go on from.
 */
public final class StreamSession {
    public static final String INCIDENT = "incident";
    public static final String DELETED = "deleted";
    public static final String RESET = "reset";
    public static final String SNAPSHOT_COMPLETE = "snapshot-complete";

    private static final int SNAPSHOT_PAGE = ListQuery.MAX_LIMIT;

    /** Where frames go: an SSE connection. Nothing written reaches the client before {@link #flush()}. */
    public interface Frames {
        /** One event; {@code id} null for none. */
        void event(String name, String id, Object data);

        /**
         * A change from the fan-out: {@code deleted} with a {@link Deleted}, else {@code incident} with the
         * record's JSON, its id the position after it; the same bytes for every client, so made once
         * ({@link FanOut.Change#frame}).
         */
        void change(FanOut.Change change);

        /**
         * Every change of {@code batch}, in order: the same as {@link #change} for each, which a connection
         * may write as the batch's frames made once for all clients ({@link FanOut.Batch#frames}).
         */
        default void changes(final FanOut.Batch batch) {
            batch.changes().forEach(this::change);
        }

        void comment(String text);

        /** The data of a change's {@code incident} frame: its JSON as read, unless the connection shows it otherwise. */
        default Object incident(final StreamEvent e) {
            return e.json();
        }

        /** Sends what was written so far. */
        void flush();

        /** False once the client is gone (a write failed). */
        boolean open();
    }

    /** What the client asked for. */
    public record Request(ListQuery filter, boolean snapshot, StreamPosition lastEventId) {}

    /** What a session needs, the same for every client of an instance. */
    public record Settings(Duration heartbeat, int snapshotMax, Duration replayTimeout) {}

    /** The data of a {@code deleted} frame. */
    public record Deleted(String id, String tenantId) {}

    /** The data of a {@code reset} frame. */
    public record Reset(String message) {}

    /** The data of {@code snapshot-complete}: how many incidents it held, and whether more matched. */
    public record SnapshotComplete(int count, boolean truncated) {}

    private final FanOut fanOut;
    private final ChangeFeed feed;
    private final IncidentQueries queries;
    private final Settings settings;
    private final Request request;
    private final FanOut.Subscriber subscriber;
    private final Frames out;
    private final Predicate<StreamEvent> filter;
    private final Map<String, Instant> shown = new HashMap<>();
    private StreamPosition position;
    private long lastSent = System.nanoTime();

    public StreamSession(
            final FanOut fanOut,
            final ChangeFeed feed,
            final IncidentQueries queries,
            final Settings settings,
            final Request request,
            final FanOut.Subscriber subscriber,
            final Frames out) {
        this.fanOut = fanOut;
        this.feed = feed;
        this.queries = queries;
        this.settings = settings;
        this.request = request;
        this.subscriber = subscriber;
        this.out = out;
        this.filter = filter(request.filter());
    }

    /** What a client with {@code query} is sent: its tenant's records that match, and its tenant's deletions. */
    public static Predicate<StreamEvent> filter(final ListQuery query) {
        return e -> query.tenant().equals(e.tenant()) && (e.deleted() || query.matches(e.incident()));
    }

    /**
     * Runs until the client is gone or dropped.
     *
     * @return true when it ended because the client fell behind and was dropped
     */
    public boolean run() throws InterruptedException {
        final StreamPosition start = subscriber.start();
        position = start;
        boolean reset = false;
        final StreamPosition from = request.lastEventId();
        if (from != null) {
            if (from.partitions() == start.partitions() && from.notAfter(start)) {
                position = from;
                final ChangeFeed.Replay replay = feed.replay(from, start, this::replayed, settings.replayTimeout());
                reset = replay == ChangeFeed.Replay.NOT_RETAINED;
            } else {
                reset = true;
            }
            if (reset) {
                position = start;
                send(
                        RESET,
                        start.encode(),
                        new Reset("the changes since Last-Event-ID are no longer retained: fetch the list again"));
            }
        }
        if (request.snapshot() && (from == null || reset)) {
            snapshot(start);
        }
        return live();
    }

    private void replayed(final StreamEvent e) {
        if (filter.test(e) && out.open()) {
            deliver(e);
        }
    }

    private void snapshot(final StreamPosition start) {
        final ListQuery f = request.filter();
        String token = null;
        int count = 0;
        boolean more = false;
        do {
            final int limit = Math.min(SNAPSHOT_PAGE, settings.snapshotMax() - count);
            final IncidentPage page = queries.list(new ListQuery(
                    f.tenant(),
                    f.statuses(),
                    f.severities(),
                    f.alertId(),
                    f.alertTemplateId(),
                    f.source(),
                    f.createdAfter(),
                    f.createdBefore(),
                    f.labels(),
                    Sort.CREATED_AT,
                    true,
                    limit,
                    false,
                    token));
            final List<Incident> data = page.data();
            for (Incident i : data.subList(0, Math.min(limit, data.size()))) {
                shown.put(i.id(), i.updatedAt());
                send(INCIDENT, null, i);
                count++;
            }
            token = page.nextToken();
            more = token != null;
        } while (more && count < settings.snapshotMax() && out.open());
        send(SNAPSHOT_COMPLETE, start.encode(), new SnapshotComplete(count, more));
    }

    private boolean live() throws InterruptedException {
        out.flush(); // what was read back, or the snapshot
        final long beat = settings.heartbeat().toNanos();
        final List<FanOut.Change> batch = new ArrayList<>();
        while (out.open()) {
            final long wait = Math.max(0, lastSent + beat - System.nanoTime());
            subscriber.drain(batch, Duration.ofNanos(Math.max(wait, 1_000_000L)));
            if (subscriber.dropped()) {
                return true;
            }
            if (batch.isEmpty()) {
                if (System.nanoTime() - lastSent >= beat) {
                    out.comment("heartbeat");
                    out.flush();
                    lastSent = System.nanoTime();
                }
                continue;
            }
            int sent = 0;
            for (int i = 0; i < batch.size(); i++) {
                final FanOut.Change c = batch.get(i);
                final int whole = whole(batch, i);
                if (whole > 0) {
                    out.changes(c.batch());
                    position = batch.get(i + whole - 1).after();
                    sent += whole;
                    i += whole - 1;
                    continue;
                }
                final StreamEvent e = c.event();
                if (e.offset() < position.next(e.partition())) {
                    continue; // read back already
                }
                final Instant snapshotAt = shown.isEmpty() ? null : shown.get(e.id());
                if (snapshotAt != null) {
                    if (!e.deleted() && !e.incident().updatedAt().isAfter(snapshotAt)) {
                        position = c.after();
                        continue; // the snapshot showed this state, or a later one, already
                    }
                    shown.remove(e.id());
                }
                position = c.after();
                out.change(c);
                sent++;
            }
            batch.clear();
            if (sent > 0) {
                out.flush();
                lastSent = System.nanoTime();
                fanOut.countSent(sent);
            }
        }
        return false;
    }

    /**
     * The size of the batch that {@code drained} holds whole from {@code at} on (every change of it, in order,
     * none sent already nor shown by the snapshot), else 0.
     */
    private int whole(final List<FanOut.Change> drained, final int at) {
        final FanOut.Change first = drained.get(at);
        final List<FanOut.Change> changes = first.batch().changes();
        if (first.index() != 0 || !shown.isEmpty() || drained.size() - at < changes.size()) {
            return 0;
        }
        for (int k = 0; k < changes.size(); k++) {
            final FanOut.Change c = drained.get(at + k);
            if (c != changes.get(k)
                    || c.event().offset() < position.next(c.event().partition())) {
                return 0;
            }
        }
        return changes.size();
    }

    private void deliver(final StreamEvent e) {
        position = position.after(e.partition(), e.offset());
        if (e.deleted()) {
            send(DELETED, position.encode(), new Deleted(e.id(), e.tenant()));
        } else {
            send(INCIDENT, position.encode(), out.incident(e));
        }
    }

    private void send(final String name, final String id, final Object data) {
        out.event(name, id, data);
        lastSent = System.nanoTime();
        fanOut.countSent(1);
    }
}
