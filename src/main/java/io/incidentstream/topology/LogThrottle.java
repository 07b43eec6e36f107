package io.incidentstream.topology;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Lets one log line through per interval and counts the ones held back, so a flood of the same
 * failure (a producer sending garbage at 10k/s) cannot flood the logs; the counters carry the rate.
 */
final class LogThrottle {
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong nextAllowed;
    private final AtomicLong suppressed = new AtomicLong();

    LogThrottle(final Duration interval, final LongSupplier nanoTime) {
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        this.nextAllowed = new AtomicLong(nanoTime.getAsLong());
    }

    /**
     * Counts one occurrence and says whether to log it.
     *
     * @return -1 when this occurrence must not be logged; otherwise the number of occurrences held
     *         back since the last one logged
     */
    long tryAcquire() {
        final long now = nanoTime.getAsLong();
        final long allowed = nextAllowed.get();
        if (now - allowed >= 0 && nextAllowed.compareAndSet(allowed, now + intervalNanos)) {
            return suppressed.getAndSet(0);
        }
        suppressed.incrementAndGet();
        return -1;
    }
}
