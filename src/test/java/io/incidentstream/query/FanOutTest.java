package io.incidentstream.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.errors.UnavailableException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FanOutTest {
    private static final Duration NOW = Duration.ofMillis(1);

    private static StreamEvent event(final int partition, final long offset, final String tenant) {
        return StreamEvent.deleted(partition, offset, "incident." + partition + "." + offset, tenant);
    }

    @Test
    void shouldRefuseSubscribersBeforeTheReaderStartedAndBeyondTheLimit() {
        final FanOut fanOut = new FanOut(2, 4);
        assertThrows(UnavailableException.class, () -> fanOut.subscribe(e -> true));
        fanOut.start(StreamPosition.of(new long[] {0, 0}));
        final FanOut.Subscriber one = fanOut.subscribe(e -> true);
        fanOut.subscribe(e -> true);
        final UnavailableException full = assertThrows(UnavailableException.class, () -> fanOut.subscribe(e -> true));
        assertTrue(full.retryAfter().toSeconds() >= 1);
        assertEquals(2, fanOut.clients());
        one.close();
        assertEquals(1, fanOut.clients());
        fanOut.subscribe(e -> true);
    }

    @Test
    void shouldStartEachSubscriberWhereThePublishedRecordsEnd() throws Exception {
        final FanOut fanOut = new FanOut(10, 10);
        fanOut.start(StreamPosition.of(new long[] {3, 0}));
        fanOut.publish(event(0, 3, "acme"));
        fanOut.advance(1, 5);
        final FanOut.Subscriber s = fanOut.subscribe(e -> true);
        assertEquals(StreamPosition.of(new long[] {4, 5}), s.start());
        fanOut.publish(event(1, 5, "acme"));
        assertEquals(5, s.poll(NOW).offset());
        assertNull(s.poll(NOW));
    }

    @Test
    void shouldOfferOnlyWhatTheFilterTakes() throws Exception {
        final FanOut fanOut = new FanOut(10, 10);
        fanOut.start(StreamPosition.of(new long[] {0}));
        final FanOut.Subscriber acme = fanOut.subscribe(e -> e.tenant().equals("acme"));
        fanOut.publish(event(0, 0, "globex"));
        fanOut.publish(event(0, 1, "acme"));
        assertEquals(1, acme.queued());
        assertEquals("acme", acme.poll(NOW).tenant());
    }

    @Test
    void shouldDropASubscriberWhoseQueueIsFullAndFreeItsQueueWithoutHoldingUpOthers() throws Exception {
        final int capacity = 5;
        final FanOut fanOut = new FanOut(10, capacity);
        fanOut.start(StreamPosition.of(new long[] {0}));
        final FanOut.Subscriber slow = fanOut.subscribe(e -> true);
        final FanOut.Subscriber fast = fanOut.subscribe(e -> true);
        for (int i = 0; i < 1000; i++) {
            fanOut.publish(event(0, i, "acme"));
            assertTrue(slow.queued() <= capacity + 1, "never more than the bound (and the drop marker)");
            assertEquals(i, fast.poll(NOW).offset(), "the reading subscriber gets every record");
        }
        assertTrue(slow.dropped());
        assertEquals(1, fanOut.droppedSlow());
        assertEquals(1, fanOut.clients());
        assertNull(slow.poll(NOW), "a dropped subscriber's queue ends with the marker, never its backlog");
        assertFalse(fast.dropped());
    }
}
