package io.incidentstream.query;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Durations counted in fixed logarithmic buckets, so that figures from several instances merge
 * exactly (bucket counts add) in bounded memory, whatever the number of incidents: bucket {@code i}
 * holds durations of {@code [γ^i, γ^(i+1))} milliseconds with {@code γ = 1.05} (bucket 0 also holds
 * everything under a millisecond, the last everything beyond about three years). A quantile is
 * reported as its bucket's geometric midpoint, so it is within {@value #RELATIVE_ERROR_PERCENT}% of
 * the exact rank's duration (DDSketch's relative-error guarantee, with the bucket set fixed).
 *
 * <p>On the wire between instances: the non-empty buckets, as {@code {"index": count}}.
 */
public final class DurationSketch {
    /** Ratio of consecutive bucket bounds. */
    static final double GAMMA = 1.05;

    /** Upper bound of a reported quantile's error, in percent: {@code √γ − 1}. */
    public static final double RELATIVE_ERROR_PERCENT = 2.5;

    /** γ^520 ms ≈ 3.2 years: beyond any window the summary accepts. */
    static final int BUCKETS = 520;

    private static final double LOG_GAMMA = Math.log(GAMMA);

    private final long[] counts = new long[BUCKETS];
    private long total;

    public DurationSketch() {}

    /** Counts one duration; a negative one (clocks of different sources) counts as zero. */
    public void add(final Duration d) {
        counts[bucket(Math.max(0, d.toMillis()))]++;
        total++;
    }

    /** Adds another sketch's counts to this one: the merge of two instances' figures, exact. */
    public void merge(final DurationSketch other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
    }

    public long count() {
        return total;
    }

    /**
     * The duration at quantile {@code q} (the smallest counted duration with at least {@code q} of the
     * counts at or below it), within the bucket error; null when nothing was counted.
     */
    public Duration quantile(final double q) {
        if (total == 0) {
            return null;
        }
        final long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Duration.ofNanos(Math.round(midpointMillis(i) * 1_000_000d));
            }
        }
        throw new IllegalStateException("counts do not add up to the total");
    }

    static int bucket(final long millis) {
        if (millis <= 1) {
            return 0;
        }
        return (int) Math.min(BUCKETS - 1, (long) Math.floor(Math.log((double) millis) / LOG_GAMMA));
    }

    /** The bucket's geometric midpoint; bucket 0 (under γ ms) reads as 0.5 ms. */
    static double midpointMillis(final int bucket) {
        return bucket == 0 ? 0.5 : Math.pow(GAMMA, bucket + 0.5);
    }

    @JsonValue
    Map<String, Long> toJson() {
        final Map<String, Long> sparse = new TreeMap<>();
        for (int i = 0; i < BUCKETS; i++) {
            if (counts[i] != 0) {
                sparse.put(Integer.toString(i), counts[i]);
            }
        }
        return sparse;
    }

    /** Reads the sparse form; an index outside the buckets or a negative count is not our protocol. */
    @JsonCreator
    static DurationSketch fromJson(final Map<String, Long> sparse) {
        final DurationSketch sketch = new DurationSketch();
        for (Map.Entry<String, Long> e : sparse.entrySet()) {
            final int index = Integer.parseInt(e.getKey());
            final long count = e.getValue();
            if (index < 0 || index >= BUCKETS || count < 0) {
                throw new IllegalArgumentException("not a duration sketch bucket: " + e);
            }
            sketch.counts[index] += count;
            sketch.total += count;
        }
        return sketch;
    }
}
