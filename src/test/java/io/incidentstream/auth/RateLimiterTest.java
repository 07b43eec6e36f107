package io.incidentstream.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final RateLimiter limiter = new RateLimiter(60, now::get);

    @Test
    void shouldAllowABurstOfTheMinutesRateThenRefuseWithTheWaitForOneMore() {
        for (int i = 0; i < 60; i++) {
            assertTrue(limiter.acquire("a").allowed(), "request " + i);
        }
        final RateLimiter.Decision refused = limiter.acquire("a");
        assertFalse(refused.allowed());
        assertEquals(Duration.ofSeconds(1), refused.retryAfter());
    }

    @Test
    void shouldRefillContinuouslyAndRecover() {
        while (limiter.acquire("a").allowed()) {
            now.addAndGet(0);
        }
        now.addAndGet(Duration.ofMillis(500).toNanos());
        final RateLimiter.Decision half = limiter.acquire("a");
        assertFalse(half.allowed());
        assertEquals(Duration.ofMillis(500), half.retryAfter());
        now.addAndGet(Duration.ofMillis(500).toNanos());
        assertTrue(limiter.acquire("a").allowed(), "one second refills one request at 60/min");
        assertFalse(limiter.acquire("a").allowed());
        now.addAndGet(Duration.ofHours(1).toNanos());
        for (int i = 0; i < 60; i++) {
            assertTrue(limiter.acquire("a").allowed(), "a long pause refills to the burst, no more: " + i);
        }
        assertFalse(limiter.acquire("a").allowed());
    }

    @Test
    void shouldCountEachTokenApart() {
        while (limiter.acquire("a").allowed()) {
            now.addAndGet(0);
        }
        assertTrue(limiter.acquire("b").allowed());
    }

    @Test
    void shouldPeekWithoutCounting() {
        for (int i = 0; i < 100; i++) {
            assertTrue(limiter.peek("a").allowed());
        }
        for (int i = 0; i < 60; i++) {
            assertTrue(limiter.acquire("a").allowed(), "peeks took nothing: " + i);
        }
        assertFalse(limiter.peek("a").allowed());
    }

    @Test
    void shouldRememberABoundedNumberOfKeysForgettingRefilledOnesFirst() {
        limiter.acquire("busy");
        for (int i = 0; i < RateLimiter.MAX_KEYS + 10; i++) {
            limiter.acquire("caller-" + i);
            if (i == RateLimiter.MAX_KEYS / 4) {
                now.addAndGet(Duration.ofMinutes(2).toNanos()); // the earlier ones refill meanwhile
            }
        }
        assertTrue(limiter.size() <= RateLimiter.MAX_KEYS, "size " + limiter.size());
    }
}
