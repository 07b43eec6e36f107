package io.incidentstream.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When a failed delivery is tried again: by default 5 s, 30 s, 2 min, 10 min, 1 h after the attempts so
 * far, then every hour (the last delay repeats), until 24 h after the first attempt; then it is given
 * up ({@code WEBHOOK_RETRY_DELAYS}, {@code WEBHOOK_RETRY_FOR}). Each delay is spread by
 * ±20 % (jitter), so receivers coming back are not hit by every sender at once. A receiver's
 * {@code Retry-After} lengthens a delay, never shortens it.
 */
public final class RetrySchedule {
    public static final List<Duration> DELAYS = List.of(
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            Duration.ofMinutes(2),
            Duration.ofMinutes(10),
            Duration.ofHours(1));
    public static final Duration GIVE_UP_AFTER = Duration.ofHours(24);
    static final double JITTER = 0.2;

    private final List<Duration> delays;
    private final Duration giveUpAfter;
    private final DoubleSupplier random;

    /** The default schedule; {@code random} uniform in [0, 1). */
    public RetrySchedule(final DoubleSupplier random) {
        this(DELAYS, GIVE_UP_AFTER, random);
    }

    public RetrySchedule(final List<Duration> delays, final Duration giveUpAfter, final DoubleSupplier random) {
        this.delays = List.copyOf(delays);
        this.giveUpAfter = giveUpAfter;
        this.random = random;
    }

    /**
     * When to try again after {@code attempts} failed attempts, the last ending at {@code now}; empty
     * when the next one would come more than the give-up time after {@code firstAttempt}.
     */
    public Optional<Instant> next(
            final int attempts, final Instant firstAttempt, final Instant now, final Duration retryAfter) {
        final Duration base = delays.get(Math.min(Math.max(attempts, 1), delays.size()) - 1);
        final double factor = 1 + JITTER * (2 * random.getAsDouble() - 1);
        Duration delay = Duration.ofMillis(Math.round(base.toMillis() * factor));
        if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
            delay = retryAfter;
        }
        final Instant due = now.plus(delay);
        return due.isAfter(firstAttempt.plus(giveUpAfter)) ? Optional.empty() : Optional.of(due);
    }
}
