package io.incidentstream.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogThrottleTest {

    @Test
    void shouldLetOneThroughPerIntervalAndCountTheRest() {
        final AtomicLong now = new AtomicLong(1_000);
        final LogThrottle throttle = new LogThrottle(Duration.ofSeconds(10), now::get);
        assertEquals(0, throttle.tryAcquire(), "the first one goes through");
        assertEquals(-1, throttle.tryAcquire());
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertEquals(-1, throttle.tryAcquire());
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals(2, throttle.tryAcquire(), "the next one reports the two held back");
        assertEquals(-1, throttle.tryAcquire());
    }
}
