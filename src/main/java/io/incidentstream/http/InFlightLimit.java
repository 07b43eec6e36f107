package io.incidentstream.http;

import io.incidentstream.errors.UnavailableException;
import io.javalin.http.Handler;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * At most so many requests of a kind at once on this instance. A write holds its request thread
 * until the owner has applied it, up to {@code COMMAND_TIMEOUT}; without a bound, a burst of writes
 * (or a slow owner) would take every thread and starve reads too. Beyond the bound the answer is
 * 503 + {@code Retry-After} at once, which a client retries.
 */
final class InFlightLimit {
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final Semaphore permits;
    private final int max;

    InFlightLimit(final int max) {
        this.permits = new Semaphore(max);
        this.max = max;
    }

    Handler around(final Handler handler) {
        return ctx -> {
            if (!permits.tryAcquire()) {
                throw new UnavailableException(
                        "this instance is applying " + max + " writes already; retry shortly", RETRY_AFTER);
            }
            try {
                handler.handle(ctx);
            } finally {
                permits.release();
            }
        };
    }
}
