package io.incidentstream.runtime;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/** Latencies and status codes of the load test's requests, by kind (list, get), for p50/p99 and counts. */
final class LoadStats {
    private final Map<String, ConcurrentLinkedQueue<Long>> latencies = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();

    void record(final String kind, final int status, final long nanos) {
        statuses.computeIfAbsent(kind + " " + status, k -> new AtomicLong()).incrementAndGet();
        if (status == 200) {
            latencies.computeIfAbsent(kind, k -> new ConcurrentLinkedQueue<>()).add(nanos);
        }
    }

    void reset() {
        latencies.clear();
        statuses.clear();
    }

    long answered() {
        return statuses.values().stream().mapToLong(AtomicLong::get).sum();
    }

    long ok() {
        return statuses.entrySet().stream()
                .filter(e -> e.getKey().endsWith(" 200"))
                .mapToLong(e -> e.getValue().get())
                .sum();
    }

    /** Per kind: requests answered 200, p50 and p99 in ms; then every status count. */
    String summary() {
        final StringBuilder s = new StringBuilder();
        new TreeMap<>(latencies).forEach((kind, q) -> {
            final long[] sorted = q.stream().mapToLong(Long::longValue).sorted().toArray();
            s.append(kind)
                    .append(": ")
                    .append(sorted.length)
                    .append(" ok, p50 ")
                    .append(millis(sorted, 0.50))
                    .append(" ms, p99 ")
                    .append(millis(sorted, 0.99))
                    .append(" ms, max ")
                    .append(millis(sorted, 1.0))
                    .append(" ms; ");
        });
        final Map<String, Long> counts = new TreeMap<>();
        statuses.forEach((k, v) -> counts.put(k, v.get()));
        return s.append("statuses ").append(counts).toString();
    }

    private static String millis(final long[] sorted, final double quantile) {
        if (sorted.length == 0) {
            return "-";
        }
        final int i = Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1);
        return String.format(java.util.Locale.ROOT, "%.1f", sorted[Math.max(0, i)] / 1e6);
    }
}
