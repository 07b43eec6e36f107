package io.incidentstream.auth;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per key (a token's hash): {@code perMinute} requests of burst, refilled
 * continuously at {@code perMinute / 60} per second, so a client that keeps to its rate is never
 * refused and one that bursts waits only as long as the next request needs. Keys are the tokens
 * of the token file, so the map is bounded by that file (invalid tokens never reach it).
 */
public final class RateLimiter {
    private final double capacity;
    private final double perNano;
    private final LongSupplier nanoTime;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** What a request is told: allowed, or how long until one more would be. */
    public record Decision(boolean allowed, Duration retryAfter) {}

    /** @param nanoTime a monotonic clock ({@code System::nanoTime}; tests pass their own) */
    public RateLimiter(final int perMinute, final LongSupplier nanoTime) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be positive");
        }
        this.capacity = perMinute;
        this.perNano = perMinute / (double) Duration.ofMinutes(1).toNanos();
        this.nanoTime = nanoTime;
    }

    public Decision acquire(final String key) {
        return buckets.computeIfAbsent(key, k -> new Bucket(capacity, nanoTime.getAsLong()))
                .take(this);
    }

    private static final class Bucket {
        private double tokens;
        private long updated;

        Bucket(final double tokens, final long now) {
            this.tokens = tokens;
            this.updated = now;
        }

        synchronized Decision take(final RateLimiter limiter) {
            final long now = limiter.nanoTime.getAsLong();
            tokens = Math.min(limiter.capacity, tokens + Math.max(0, now - updated) * limiter.perNano);
            updated = now;
            if (tokens >= 1) {
                tokens -= 1;
                return new Decision(true, Duration.ZERO);
            }
            final long waitNanos = (long) Math.ceil((1 - tokens) / limiter.perNano);
            return new Decision(false, Duration.ofNanos(waitNanos));
        }
    }
}
