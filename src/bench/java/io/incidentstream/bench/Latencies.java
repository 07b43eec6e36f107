package io.incidentstream.bench;

import java.util.ArrayList;
import java.util.List;

/** Latency samples in milliseconds, with nearest-rank percentiles. */
public final class Latencies {
    private final List<Double> millis = new ArrayList<>();

    public void add(final double ms) {
        millis.add(ms);
    }

    public int count() {
        return millis.size();
    }

    public double p50() {
        return percentile(50);
    }

    public double p99() {
        return percentile(99);
    }

    /** Nearest rank: the smallest sample with at least p% of the samples at or below it. */
    public double percentile(final double p) {
        if (millis.isEmpty()) {
            return Double.NaN;
        }
        final List<Double> sorted = new ArrayList<>(millis);
        sorted.sort(null);
        final int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "p50 %.2f ms, p99 %.2f ms (n=%d)", p50(), p99(), count());
    }
}
