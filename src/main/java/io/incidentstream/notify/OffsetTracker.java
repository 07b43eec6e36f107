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
 */
final class OffsetTracker {
    private final Map<TopicPartition, TreeMap<Long, Integer>> pending = new HashMap<>();
    private final Map<TopicPartition, Long> next = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();

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
            if (upTo > committed.getOrDefault(tp, -1L)) {
                out.put(tp, new OffsetAndMetadata(upTo));
            }
        });
        out.forEach((tp, o) -> committed.put(tp, o.offset()));
        return out;
    }

    /** Forgets partitions taken away: their unfinished records will be read again by the new owner. */
    synchronized void forget(final java.util.Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> {
            pending.remove(tp);
            next.remove(tp);
            committed.remove(tp);
        });
    }

    synchronized int pendingRecords() {
        return pending.values().stream().mapToInt(Map::size).sum();
    }
}
