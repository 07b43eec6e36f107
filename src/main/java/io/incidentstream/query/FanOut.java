package io.incidentstream.query;

import io.incidentstream.errors.UnavailableException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
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
 *
 * <p>What is the same for every client is done once per record, not once per client: each record is
 * queued as a {@link Change}, which carries the position after it and keeps its frame as the clients
 * are sent it (made by the first client that needs it). The records of one poll of the topic are
 * published together, so a client's thread wakes once for them all and writes them at once
 * ({@link Subscriber#drain}), rather than waking, writing and flushing once per record.
 */
public final class FanOut {
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final int maxClients;
    private final int queueCapacity;
    private final Object lock = new Object();
    private final List<Subscriber> subscribers = new ArrayList<>();
    private final LongAdder sent = new LongAdder();
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
        publish(List.of(event));
    }

    /**
     * Records in offset order per partition (one poll of the topic), offered to every subscriber whose
     * filter takes them, each subscriber woken once for them all.
     */
    public void publish(final List<StreamEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        synchronized (lock) {
            if (next == null) {
                throw new IllegalStateException("publish before start");
            }
            final List<Change> changes = new ArrayList<>(events.size());
            final Batch batch = new Batch(changes);
            for (StreamEvent e : events) {
                next = next.after(e.partition(), e.offset());
                changes.add(new Change(e, next, batch, changes.size()));
            }
            for (int i = subscribers.size() - 1; i >= 0; i--) {
                final Subscriber s = subscribers.get(i);
                if (!s.offer(changes)) {
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
        return sent.sum();
    }

    /** Clients dropped so far because their queue was full. */
    public long droppedSlow() {
        return droppedSlow.get();
    }

    void countSent(final int events) {
        sent.add(events);
    }

    /**
     * One published record as every client gets it: the record, the position after it (the {@code id}
     * a client that was sent it resumes from: every record before it was either sent to that client
     * already, in order, or not taken by its filter), and its frame, made once.
     */
    public static final class Change {
        private final StreamEvent event;
        private final StreamPosition after;
        private final Batch batch;
        private final int index;
        private volatile byte[] frame;

        Change(final StreamEvent event, final StreamPosition after, final Batch batch, final int index) {
            this.event = event;
            this.after = after;
            this.batch = batch;
            this.index = index;
        }

        /** The records published with this one (one poll of the topic). */
        public Batch batch() {
            return batch;
        }

        /** Where this record is in its {@link #batch()}. */
        public int index() {
            return index;
        }

        public StreamEvent event() {
            return event;
        }

        /** The position after this record. */
        public StreamPosition after() {
            return after;
        }

        /**
         * The frame that sends this record, made by {@code encode} for the first client that asks and kept
         * for the others ({@code encode} must give every client the same bytes; two clients asking at
         * once may both make it, and either is kept).
         */
        public byte[] frame(final Function<Change, byte[]> encode) {
            byte[] f = frame;
            if (f == null) {
                f = encode.apply(this);
                frame = f;
            }
            return f;
        }
    }

    /**
     * The records of one {@link #publish(List)}, in order, and their frames concatenated, made once: a
     * client that is sent the whole batch (its filter took every record, none was skipped) is written
     * these same bytes, rather than copying each frame into its own buffer (with 100 clients of one
     * tenant and filter, the copies and their writes were most of the stream's cost).
     */
    public static final class Batch {
        private final List<Change> changes;
        private volatile byte[] frames;

        Batch(final List<Change> changes) {
            this.changes = changes;
        }

        /** The changes, in the order published. */
        public List<Change> changes() {
            return changes;
        }

        /**
         * Every change's {@link Change#frame frame}, one after the other, made by the first client that asks
         * and kept for the others (as for a frame, two asking at once may both make it).
         */
        public byte[] frames(final Function<Change, byte[]> encode) {
            byte[] f = frames;
            if (f == null) {
                final byte[][] each = new byte[changes.size()][];
                int length = 0;
                for (int i = 0; i < each.length; i++) {
                    each[i] = changes.get(i).frame(encode);
                    length += each[i].length;
                }
                f = new byte[length];
                int at = 0;
                for (byte[] one : each) {
                    System.arraycopy(one, 0, f, at, one.length);
                    at += one.length;
                }
                frames = f;
            }
            return f;
        }
    }

    /** One client's queue. Closing it unsubscribes. */
    public final class Subscriber implements AutoCloseable {
        private final Predicate<StreamEvent> filter;
        private final StreamPosition start;
        private final int capacity;
        private final ReentrantLock queueLock = new ReentrantLock();
        private final Condition waiting = queueLock.newCondition();
        private final ArrayDeque<Change> queue = new ArrayDeque<>();
        private volatile boolean dropped;

        private Subscriber(final Predicate<StreamEvent> filter, final StreamPosition start, final int capacity) {
            this.filter = filter;
            this.start = start;
            this.capacity = capacity;
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
            queueLock.lock();
            try {
                return queue.size();
            } finally {
                queueLock.unlock();
            }
        }

        /**
         * Queues what the filter takes of {@code changes} and wakes the client's thread once; false (and
         * the queue emptied, the thread woken to see it) when the queue would hold more than its bound.
         */
        private boolean offer(final List<Change> changes) {
            queueLock.lock();
            try {
                final int before = queue.size();
                for (Change c : changes) {
                    if (filter.test(c.event)) {
                        if (queue.size() >= capacity) {
                            dropped = true;
                            queue.clear();
                            waiting.signalAll();
                            return false;
                        }
                        queue.addLast(c);
                    }
                }
                if (queue.size() > before) {
                    waiting.signalAll();
                }
                return true;
            } finally {
                queueLock.unlock();
            }
        }

        /**
         * Waits up to {@code timeout} for a change, then moves every change queued now into {@code into}, in
         * order; none when the timeout passed first or this subscriber was dropped.
         *
         * @return how many were moved
         */
        public int drain(final Collection<Change> into, final Duration timeout) throws InterruptedException {
            long nanos = timeout.toNanos();
            queueLock.lockInterruptibly();
            try {
                while (queue.isEmpty() && !dropped) {
                    if (nanos <= 0) {
                        return 0;
                    }
                    nanos = waiting.awaitNanos(nanos);
                }
                if (dropped) {
                    return 0;
                }
                final int n = queue.size();
                into.addAll(queue);
                queue.clear();
                return n;
            } finally {
                queueLock.unlock();
            }
        }

        /** The next event, or null when none came within {@code timeout} or this subscriber was dropped. */
        public StreamEvent poll(final Duration timeout) throws InterruptedException {
            long nanos = timeout.toNanos();
            queueLock.lockInterruptibly();
            try {
                while (queue.isEmpty() && !dropped) {
                    if (nanos <= 0) {
                        return null;
                    }
                    nanos = waiting.awaitNanos(nanos);
                }
                return dropped ? null : queue.pollFirst().event;
            } finally {
                queueLock.unlock();
            }
        }

        @Override
        public void close() {
            remove(this);
            queueLock.lock();
            try {
                queue.clear();
            } finally {
                queueLock.unlock();
            }
        }
    }
}
