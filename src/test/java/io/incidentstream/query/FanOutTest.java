package io.incidentstream.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.errors.UnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
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
        assertNull(slow.poll(NOW), "a dropped subscriber's queue is emptied, never its backlog");
        assertFalse(fast.dropped());
    }

    @Test
    void shouldHandOverAPollsRecordsTogetherEachWithThePositionAfterItAndItsFrameMadeOnce() throws Exception {
        final FanOut fanOut = new FanOut(10, 10);
        fanOut.start(StreamPosition.of(new long[] {0, 0}));
        final FanOut.Subscriber acme = fanOut.subscribe(e -> e.tenant().equals("acme"));
        final FanOut.Subscriber all = fanOut.subscribe(e -> true);
        fanOut.publish(List.of(event(0, 0, "acme"), event(1, 0, "globex"), event(1, 1, "acme")));
        final List<FanOut.Change> got = new ArrayList<>();
        assertEquals(2, acme.drain(got, NOW), "every queued change at once, in order");
        assertEquals(List.of(0L, 1L), got.stream().map(c -> c.event().offset()).toList());
        assertEquals(
                StreamPosition.of(new long[] {1, 2}),
                got.get(1).after(),
                "after its last change the client stands past what its filter did not take");
        assertEquals(0, acme.drain(got, NOW));
        final List<FanOut.Change> other = new ArrayList<>();
        assertEquals(3, all.drain(other, NOW));
        final AtomicInteger made = new AtomicInteger();
        final Function<FanOut.Change, byte[]> encode = c -> {
            made.incrementAndGet();
            return c.after().encode().getBytes(StandardCharsets.US_ASCII);
        };
        assertArrayEquals("1.2".getBytes(StandardCharsets.US_ASCII), got.get(1).frame(encode));
        assertSame(got.get(1).frame(encode), other.get(2).frame(encode), "one frame for every client");
        assertEquals(1, made.get());
    }

    @Test
    void shouldMakeAPollsFramesOnceAsOneRunOfBytesForEveryClient() throws Exception {
        final FanOut fanOut = new FanOut(10, 10);
        fanOut.start(StreamPosition.of(new long[] {0, 0}));
        final FanOut.Subscriber one = fanOut.subscribe(e -> true);
        final FanOut.Subscriber two = fanOut.subscribe(e -> true);
        fanOut.publish(List.of(event(0, 0, "acme"), event(1, 0, "acme")));
        fanOut.publish(List.of(event(1, 1, "acme")));
        final List<FanOut.Change> first = new ArrayList<>();
        final List<FanOut.Change> second = new ArrayList<>();
        assertEquals(3, one.drain(first, NOW));
        assertEquals(3, two.drain(second, NOW));
        assertSame(first.get(0).batch(), first.get(1).batch(), "one poll, one batch");
        assertEquals(List.of(0, 1, 0), first.stream().map(FanOut.Change::index).toList());
        final AtomicInteger made = new AtomicInteger();
        final Function<FanOut.Change, byte[]> encode = c -> {
            made.incrementAndGet();
            return (c.after().encode() + ";").getBytes(StandardCharsets.US_ASCII);
        };
        assertArrayEquals(
                "1.0;1.1;".getBytes(StandardCharsets.US_ASCII),
                first.get(0).batch().frames(encode),
                "each change's frame, in order");
        assertSame(first.get(0).batch().frames(encode), second.get(1).batch().frames(encode), "the same bytes for all");
        assertArrayEquals(
                "1.2;".getBytes(StandardCharsets.US_ASCII),
                second.get(2).batch().frames(encode));
        assertEquals(3, made.get(), "each frame made once");
    }

    @Test
    void shouldWakeAWaitingClientWhenItIsDropped() throws Exception {
        final FanOut fanOut = new FanOut(10, 2);
        fanOut.start(StreamPosition.of(new long[] {0}));
        final FanOut.Subscriber slow = fanOut.subscribe(e -> true);
        final Thread publisher = new Thread(
                () -> fanOut.publish(List.of(event(0, 0, "acme"), event(0, 1, "acme"), event(0, 2, "acme"))));
        final long started = System.nanoTime();
        publisher.start();
        assertEquals(0, slow.drain(new ArrayList<>(), Duration.ofSeconds(30)));
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(20).toNanos(), "woken, not timed out");
        assertTrue(slow.dropped());
        publisher.join();
    }
}
