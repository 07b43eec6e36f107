package io.incidentstream.errors;

import java.time.Duration;

/**
 * The service cannot answer correctly right now: stores not queryable (starting, rebalancing,
 * restoring) or the broker does not acknowledge (the HTTP layer answers 503 with {@code Retry-After}). Answering
 * with a partial result instead would be a silent lie, so callers retry.
 */
public class UnavailableException extends RuntimeException {
    private final Duration retryAfter;

    public UnavailableException(final String message, final Duration retryAfter, final Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    public UnavailableException(final String message, final Duration retryAfter) {
        this(message, retryAfter, null);
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
