package io.incidentstream.runtime;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a stream thread's uncaught failure does to the client.
 *
 * <p>Records that cannot be decoded, that our code fails on, or that are too large for Kafka never get
 * here: they go to the dead-letter topic ({@code ErrorHandling}). What does is a failure of Kafka
 * itself. Two kinds:
 * <ul>
 * <li>The broker was out of reach for longer than the producer waits ({@code max.block.ms}): a
 * transaction's commit timed out, and the producer refuses everything until that commit is retried,
 * which Kafka Streams 4.3 does not do. Nothing is wrong with this instance; a new thread with a new
 * producer resumes from the last committed transaction once the broker is back (exactly-once: the
 * timed-out transaction is aborted by the broker). So the thread is replaced.</li>
 * <li>Anything else (a store, a fenced producer that keeps being fenced, a bug): the client stops,
 * liveness fails and the orchestrator restarts the process, rather than looping on the same failure.</li>
 * </ul>
 * A thread is replaced at most once per {@link #minSpacing}: a broker failure takes at least the
 * producer's {@code max.block.ms} to surface, so failures closer together than that are not an
 * outage being waited out, and the client stops.
 */
final class StreamThreadFailures implements StreamsUncaughtExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(StreamThreadFailures.class);

    private final Duration minSpacing;
    private final LongSupplier nanoClock;
    private final Runnable onReplace;
    private long lastReplacedAt;
    private boolean replacedBefore;

    StreamThreadFailures(final Duration minSpacing, final LongSupplier nanoClock, final Runnable onReplace) {
        this.minSpacing = minSpacing;
        this.nanoClock = nanoClock;
        this.onReplace = onReplace;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(final Throwable failure) {
        if (!brokerOutOfReach(failure)) {
            LOG.error("Kafka Streams thread failed; shutting the client down", failure);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        final long now = nanoClock.getAsLong();
        if (replacedBefore && now - lastReplacedAt < minSpacing.toNanos()) {
            LOG.error(
                    "Kafka Streams thread failed again within {} of the last replacement; shutting the client down",
                    minSpacing,
                    failure);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacedBefore = true;
        lastReplacedAt = now;
        LOG.warn(
                "Kafka Streams thread failed because the broker was out of reach ({}); replacing the thread, "
                        + "which resumes from the last committed transaction",
                rootMessage(failure));
        onReplace.run();
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /**
     * Whether the failure comes from a broker out of reach: a retriable Kafka error (a timeout) in the
     * chain, or the producer's refusal to go on after a transaction's commit or abort timed out.
     */
    static boolean brokerOutOfReach(final Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetriableException) {
                return true;
            }
            if (t instanceof IllegalStateException
                    && t.getMessage() != null
                    && t.getMessage().contains("timed out and must be retried")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(final Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
