package io.incidentstream.auth;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
    /** At most this many keys are remembered (about 100 bytes each). */
    static final int MAX_KEYS = 100_000;

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
        return bucket(key).take(this, true);
    }

    /** What {@link #acquire} would answer, without counting anything. */
    public Decision peek(final String key) {
        final Bucket bucket = buckets.get(key);
        return bucket == null ? new Decision(true, Duration.ZERO) : bucket.take(this, false);
    }

    private Bucket bucket(final String key) {
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= MAX_KEYS) {
                evict();
            }
            bucket = buckets.computeIfAbsent(key, k -> new Bucket(capacity, nanoTime.getAsLong()));
        }
        return bucket;
    }

    /**
     * Keys come from callers (client addresses), so the map must not grow without bound: drop the
     * buckets that have refilled (forgetting them changes nothing), and if that frees too little, the
     * half least recently used.
     */
    private synchronized void evict() {
        final long now = nanoTime.getAsLong();
        buckets.values().removeIf(b -> b.fullAt(this, now));
        if (buckets.size() >= MAX_KEYS / 2) {
            final List<Map.Entry<String, Bucket>> byAge = new ArrayList<>(buckets.entrySet());
            byAge.sort(Comparator.comparingLong(e -> e.getValue().updated()));
            byAge.subList(0, byAge.size() / 2).forEach(e -> buckets.remove(e.getKey(), e.getValue()));
        }
    }

    int size() {
        return buckets.size();
    }

    private static final class Bucket {
        private double tokens;
        private long updated;

        Bucket(final double tokens, final long now) {
            this.tokens = tokens;
            this.updated = now;
        }

        synchronized long updated() {
            return updated;
        }

        synchronized boolean fullAt(final RateLimiter limiter, final long now) {
            return tokens + Math.max(0, now - updated) * limiter.perNano >= limiter.capacity;
        }

        synchronized Decision take(final RateLimiter limiter, final boolean count) {
            final long now = limiter.nanoTime.getAsLong();
            tokens = Math.min(limiter.capacity, tokens + Math.max(0, now - updated) * limiter.perNano);
            updated = now;
            if (tokens >= 1) {
                if (count) {
                    tokens -= 1;
                }
                return new Decision(true, Duration.ZERO);
            }
            final long waitNanos = (long) Math.ceil((1 - tokens) / limiter.perNano);
            return new Decision(false, Duration.ofNanos(waitNanos));
        }
    }
}
