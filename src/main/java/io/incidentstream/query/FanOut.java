package io.incidentstream.query;

import io.incidentstream.errors.UnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * One instance's reader of the incident topic, shared by all its live-stream clients: the reader
 * {@link #publish}es each record once, and every subscriber whose filter takes it gets it in its own
 * bounded queue. A subscriber whose queue is full is dropped at once (its queue emptied, so a slow
 * client costs at most its queue), never waited for: one slow client cannot hold up the reader or
 * the others. At most {@code maxClients} subscribe at once; beyond, 503 + {@code Retry-After}.
 *
 * <p>{@link #subscribe} and {@link #publish} share one lock, so a subscriber's {@link Subscriber#start()}
 * is exactly where its queue begins: every record at or after it is offered to the queue, none before.
 */
public final class FanOut {
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private static final StreamEvent DROPPED = StreamEvent.deleted(-1, -1, "", "");

    private final int maxClients;
    private final int queueCapacity;
    private final Object lock = new Object();
    private final List<Subscriber> subscribers = new ArrayList<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong droppedSlow = new AtomicLong();
    private volatile int clients;
    private StreamPosition next;

    public FanOut(final int maxClients, final int queueCapacity) {
        if (maxClients < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("maxClients and queueCapacity must be positive");
        }
        this.maxClients = maxClients;
        this.queueCapacity = queueCapacity;
    }

    /** The reader starts at {@code position} (the topic's end when it started). */
    public void start(final StreamPosition position) {
        synchronized (lock) {
            next = position;
        }
    }

    /** The reader's position: the next offset of each partition it has not published; null before it started. */
    public StreamPosition position() {
        synchronized (lock) {
            return next;
        }
    }

    /** One record, in offset order per partition; offered to every subscriber whose filter takes it. */
    public void publish(final StreamEvent event) {
        synchronized (lock) {
            if (next == null) {
                throw new IllegalStateException("publish before start");
            }
            next = next.after(event.partition(), event.offset());
            for (int i = subscribers.size() - 1; i >= 0; i--) {
                final Subscriber s = subscribers.get(i);
                if (s.filter.test(event) && (s.queue.size() >= queueCapacity || !s.queue.offer(event))) {
                    s.drop();
                    subscribers.remove(i);
                    clients = subscribers.size();
                    droppedSlow.incrementAndGet();
                }
            }
        }
    }

    /**
     * Moves the position of {@code partition} to {@code nextOffset} without a record (read-committed
     * reading skips transaction markers and aborted records; the position follows the reader).
     */
    public void advance(final int partition, final long nextOffset) {
        synchronized (lock) {
            if (next != null && nextOffset > 0) {
                next = next.after(partition, nextOffset - 1);
            }
        }
    }

    /**
     * A new subscriber, receiving every record its filter takes from {@link Subscriber#start()} on.
     *
     * @throws UnavailableException when {@code maxClients} are connected already, or the reader has not started
     */
    public Subscriber subscribe(final Predicate<StreamEvent> filter) {
        synchronized (lock) {
            if (next == null) {
                throw new UnavailableException("the live stream is starting; retry shortly", RETRY_AFTER);
            }
            if (subscribers.size() >= maxClients) {
                throw new UnavailableException(
                        "this instance serves " + maxClients + " live-stream clients already; retry later or"
                                + " through another instance",
                        RETRY_AFTER);
            }
            final Subscriber s = new Subscriber(filter, next, queueCapacity);
            subscribers.add(s);
            clients = subscribers.size();
            return s;
        }
    }

    private void remove(final Subscriber s) {
        synchronized (lock) {
            subscribers.remove(s);
            clients = subscribers.size();
        }
    }

    /** Clients connected now. */
    public int clients() {
        return clients;
    }

    /** Events written to clients so far. */
    public long sent() {
        return sent.get();
    }

    /** Clients dropped so far because their queue was full. */
    public long droppedSlow() {
        return droppedSlow.get();
    }

    void countSent() {
        sent.incrementAndGet();
    }

    /** One client's queue. Closing it unsubscribes. */
    public final class Subscriber implements AutoCloseable {
        private final Predicate<StreamEvent> filter;
        private final StreamPosition start;
        private final BlockingQueue<StreamEvent> queue;
        private volatile boolean dropped;

        private Subscriber(final Predicate<StreamEvent> filter, final StreamPosition start, final int capacity) {
            this.filter = filter;
            this.start = start;
            // one place more than the bound, for the marker that tells the client's thread it was dropped
            this.queue = new ArrayBlockingQueue<>(capacity + 1);
        }

        /** Where this subscriber's queue begins. */
        public StreamPosition start() {
            return start;
        }

        /** Whether it was dropped for falling behind. */
        public boolean dropped() {
            return dropped;
        }

        /** Events waiting now. */
        public int queued() {
            return queue.size();
        }

        /** The next event, or null when none came within {@code timeout} or this subscriber was dropped. */
        public StreamEvent poll(final Duration timeout) throws InterruptedException {
            final StreamEvent e = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return e == null || e.partition() < 0 ? null : e; // the drop marker has no partition
        }

        private void drop() {
            dropped = true;
            queue.clear();
            queue.offer(DROPPED);
        }

        @Override
        public void close() {
            remove(this);
            queue.clear();
        }
    }
}
