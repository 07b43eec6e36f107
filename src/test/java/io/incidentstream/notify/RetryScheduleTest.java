package io.incidentstream.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    private static Duration delay(
            final RetrySchedule s, final int attempts, final Instant now, final Duration retryAfter) {
        return Duration.between(now, s.next(attempts, T0, now, retryAfter).orElseThrow());
    }

    @Test
    void shouldFollowTheDocumentedDelaysWithoutJitterAtTheMiddle() {
        final RetrySchedule s = new RetrySchedule(() -> 0.5);
        assertEquals(Duration.ofSeconds(5), delay(s, 1, T0, null));
        assertEquals(Duration.ofSeconds(30), delay(s, 2, T0, null));
        assertEquals(Duration.ofMinutes(2), delay(s, 3, T0, null));
        assertEquals(Duration.ofMinutes(10), delay(s, 4, T0, null));
        assertEquals(Duration.ofHours(1), delay(s, 5, T0, null));
        assertEquals(Duration.ofHours(1), delay(s, 9, T0.plusSeconds(7200), null), "the last delay repeats");
    }

    @Test
    void shouldSpreadEachDelayByAtMostTwentyPercent() {
        assertEquals(Duration.ofSeconds(4), delay(new RetrySchedule(() -> 0.0), 1, T0, null));
        final Duration high = delay(new RetrySchedule(() -> 0.999_999), 1, T0, null);
        assertTrue(
                high.compareTo(Duration.ofSeconds(6)) <= 0 && high.compareTo(Duration.ofMillis(5990)) > 0,
                high.toString());
    }

    @Test
    void shouldWaitLongerWhenTheReceiverAsksButNeverShorter() {
        final RetrySchedule s = new RetrySchedule(() -> 0.5);
        assertEquals(Duration.ofSeconds(90), delay(s, 1, T0, Duration.ofSeconds(90)));
        assertEquals(Duration.ofSeconds(30), delay(s, 2, T0, Duration.ofSeconds(1)));
    }

    @Test
    void shouldGiveUpOnceTheNextAttemptWouldComeAfterADay() {
        final RetrySchedule s = new RetrySchedule(() -> 0.5);
        final Instant late = T0.plus(Duration.ofHours(23)).plusSeconds(1);
        assertEquals(Optional.empty(), s.next(28, T0, late, null));
        assertTrue(s.next(27, T0, T0.plus(Duration.ofHours(22)), null).isPresent());
    }

    @Test
    void shouldReadRetryAfterInSecondsOrAsADate() {
        assertEquals(Duration.ofMinutes(2), Deliverer.retryAfter("120", T0));
        assertEquals(Duration.ofSeconds(30), Deliverer.retryAfter("Thu, 03 Dec 2026 10:00:30 GMT", T0));
        assertEquals(null, Deliverer.retryAfter("soon", T0));
        assertEquals(null, Deliverer.retryAfter(null, T0));
    }
}
