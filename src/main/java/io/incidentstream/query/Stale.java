package io.incidentstream.query;

/**
 * An answer and how stale it may be: {@code staleness} is null when it came from the active task,
 * else the changelog lag (records) of the standby copy that answered while the active was away.
 */
public record Stale<T>(T value, Long staleness) {

    /** From the active task. */
    public static <T> Stale<T> fresh(final T value) {
        return new Stale<>(value, null);
    }
}
