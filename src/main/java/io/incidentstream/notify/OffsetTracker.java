package io.incidentstream.notify;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which source offsets may be committed: a record counts as done once each of its deliveries has
 * ended or been durably handed to the retry topic. Deliveries finish out of order (each subscription
 * has its own queue), so per partition the committable offset is the first record not yet done.
 * Committing only that is what makes a crash lose nothing: whatever was not done is read again.
 *
 * <p>Beside the offset, a partition may carry a <em>mark</em>: the time up to which the ends of silences
 * have been handled for the incidents whose events are on it (epoch millis, committed as the offset's
 * metadata, {@value #MARK_PREFIX}{@code <millis>}). A span of endings counts as handled once each of the
 * notifications it made has ended or is on the retry topic, as a record does; the committed mark is the
 * start of the first span not yet handled, so a crash makes the next owner look at that span again.
 */
final class OffsetTracker {
    static final String MARK_PREFIX = "silences-through=";

    private final Map<TopicPartition, TreeMap<Long, Integer>> pending = new HashMap<>();
    private final Map<TopicPartition, Long> next = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final Map<TopicPartition, Long> marks = new HashMap<>();
    private final Map<TopicPartition, Long> committedMarks = new HashMap<>();
    /** Per partition, spans of endings with notifications in flight: span end → [span start, notifications left]. */
    private final Map<TopicPartition, TreeMap<Long, long[]>> spans = new HashMap<>();

    /**
     * A partition just assigned, read from {@code position}, its endings handled up to {@code mark} (from
     * the committed metadata, or where the new owner starts).
     */
    synchronized void assigned(final TopicPartition tp, final long position, final long mark) {
        next.put(tp, position);
        committed.put(tp, position);
        marks.put(tp, mark);
        committedMarks.put(tp, mark);
    }

    /** Up to when the partition's silence endings have been looked at; null for a partition not assigned. */
    synchronized Long mark(final TopicPartition tp) {
        return marks.get(tp);
    }

    /**
     * The endings in {@code (mark, to]} were looked at and made {@code notifications} notifications (0:
     * handled at once); {@link #spanDone} once for each.
     */
    synchronized void span(final TopicPartition tp, final long to, final int notifications) {
        final Long from = marks.get(tp);
        if (from == null || to <= from) {
            return;
        }
        if (notifications > 0) {
            spans.computeIfAbsent(tp, k -> new TreeMap<>()).put(to, new long[] {from, notifications});
        }
        marks.put(tp, to);
    }

    /** One notification of the span ending at {@code to} finished; ignored for a partition no longer owned. */
    synchronized void spanDone(final TopicPartition tp, final long to) {
        final TreeMap<Long, long[]> open = spans.get(tp);
        final long[] span = open == null ? null : open.get(to);
        if (span != null && --span[1] <= 0) {
            open.remove(to);
        }
    }

    /** The mark a commit's metadata carries, or null when it carries none. */
    static Long markOf(final OffsetAndMetadata committed) {
        if (committed == null || !committed.metadata().startsWith(MARK_PREFIX)) {
            return null;
        }
        try {
            return Long.parseLong(committed.metadata().substring(MARK_PREFIX.length()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A record read with {@code deliveries} deliveries to finish (0: done at once). */
    synchronized void add(final TopicPartition tp, final long offset, final int deliveries) {
        if (deliveries > 0) {
            pending.computeIfAbsent(tp, k -> new TreeMap<>()).put(offset, deliveries);
        }
        next.merge(tp, offset + 1, Math::max);
    }

    /** One delivery of the record finished; ignored for a partition no longer owned. */
    synchronized void done(final TopicPartition tp, final long offset) {
        final TreeMap<Long, Integer> open = pending.get(tp);
        if (open == null) {
            return;
        }
        final Integer left = open.get(offset);
        if (left == null) {
            return;
        }
        if (left <= 1) {
            open.remove(offset);
        } else {
            open.put(offset, left - 1);
        }
    }

    /** Offsets to commit that move forward, and remembers them as committed. */
    synchronized Map<TopicPartition, OffsetAndMetadata> toCommit() {
        final Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        next.forEach((tp, n) -> {
            final TreeMap<Long, Integer> open = pending.get(tp);
            final long upTo = open == null || open.isEmpty() ? n : open.firstKey();
            final Long mark = committableMark(tp);
            if (upTo > committed.getOrDefault(tp, -1L)
                    || (mark != null && mark > committedMarks.getOrDefault(tp, Long.MIN_VALUE))) {
                out.put(
                        tp,
                        mark == null ? new OffsetAndMetadata(upTo) : new OffsetAndMetadata(upTo, MARK_PREFIX + mark));
            }
        });
        out.forEach((tp, o) -> {
            committed.put(tp, o.offset());
            final Long mark = markOf(o);
            if (mark != null) {
                committedMarks.put(tp, mark);
            }
        });
        return out;
    }

    private Long committableMark(final TopicPartition tp) {
        final TreeMap<Long, long[]> open = spans.get(tp);
        return open == null || open.isEmpty()
                ? marks.get(tp)
                : Long.valueOf(open.firstEntry().getValue()[0]);
    }

    /** Forgets partitions taken away: their unfinished records will be read again by the new owner. */
    synchronized void forget(final java.util.Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> {
            pending.remove(tp);
            next.remove(tp);
            committed.remove(tp);
            marks.remove(tp);
            committedMarks.remove(tp);
            spans.remove(tp);
        });
    }

    synchronized int pendingRecords() {
        return pending.values().stream().mapToInt(Map::size).sum();
    }
}
