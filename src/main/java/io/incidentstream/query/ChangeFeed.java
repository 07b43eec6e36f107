package io.incidentstream.query;

import java.time.Duration;
import java.util.function.Consumer;

/** The incident topic read back: what a reconnecting client of the live stream missed. */
public interface ChangeFeed {

    /** What a replay found: everything asked for, or that part of it is no longer retained. */
    enum Replay {
        COMPLETE,
        NOT_RETAINED
    }

    /**
     * Reads, read-committed, every record from {@code from} up to (not including) {@code to}, partition by
     * partition in offset order, into {@code sink}. Reads nothing and answers {@link Replay#NOT_RETAINED}
     * when some partition's {@code from} is before its log start.
     *
     * @throws io.incidentstream.errors.UnavailableException when the broker does not answer within {@code timeout}
     */
    Replay replay(StreamPosition from, StreamPosition to, Consumer<StreamEvent> sink, Duration timeout)
            throws InterruptedException;
}
