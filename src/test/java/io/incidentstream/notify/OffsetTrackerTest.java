package io.incidentstream.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
    private static final TopicPartition TP = new TopicPartition("incident-events", 3);

    @Test
    void shouldCommitTheFirstRecordNotYetDelivered() {
        final OffsetTracker t = new OffsetTracker();
        t.assigned(TP, 10, 0);
        t.add(TP, 10, 1);
        t.add(TP, 11, 0);
        assertTrue(t.toCommit().isEmpty(), "offset 10 is still being delivered");
        t.done(TP, 10);
        assertEquals(12, t.toCommit().get(TP).offset());
    }

    @Test
    void shouldCommitASilenceMarkOnlyOnceEveryNotificationOfItsSpanEnded() {
        final OffsetTracker t = new OffsetTracker();
        t.assigned(TP, 10, 1_000);
        t.span(TP, 2_000, 2);
        t.span(TP, 3_000, 0);
        assertEquals(3_000L, t.mark(TP), "the next look starts after the span");
        assertTrue(t.toCommit().isEmpty(), "the first span is in flight: a restart must look at it again");
        t.spanDone(TP, 2_000);
        assertTrue(t.toCommit().isEmpty());
        t.spanDone(TP, 2_000);
        final Map<TopicPartition, OffsetAndMetadata> commit = t.toCommit();
        assertEquals(new OffsetAndMetadata(10, "silences-through=3000"), commit.get(TP));
        assertEquals(3_000L, OffsetTracker.markOf(commit.get(TP)));
        assertTrue(t.toCommit().isEmpty(), "nothing new");
    }

    @Test
    void shouldCommitTheStartOfTheFirstUnfinishedSpan() {
        final OffsetTracker t = new OffsetTracker();
        t.assigned(TP, 0, 1_000);
        t.span(TP, 2_000, 0);
        t.span(TP, 3_000, 1);
        t.span(TP, 4_000, 1);
        t.spanDone(TP, 4_000);
        assertEquals(2_000L, OffsetTracker.markOf(t.toCommit().get(TP)));
    }

    @Test
    void shouldForgetTheMarkOfAPartitionTakenAway() {
        final OffsetTracker t = new OffsetTracker();
        t.assigned(TP, 0, 1_000);
        t.span(TP, 2_000, 1);
        t.forget(List.of(TP));
        t.spanDone(TP, 2_000);
        assertNull(t.mark(TP));
        assertTrue(t.toCommit().isEmpty());
    }

    @Test
    void shouldReadNoMarkFromACommitWithoutOne() {
        assertNull(OffsetTracker.markOf(null));
        assertNull(OffsetTracker.markOf(new OffsetAndMetadata(5)));
        assertNull(OffsetTracker.markOf(new OffsetAndMetadata(5, "silences-through=x")));
    }
}
