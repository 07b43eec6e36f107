package io.incidentstream.bench;

/** Reads values out of Prometheus text exposition, enough for the harness's needs. */
final class Metrics {
    private Metrics() {}

    /**
     * Sum of every sample of {@code name} (any labels) whose label text contains {@code labelFilter}
     * (null: all).
     */
    static double sum(final String text, final String name, final String labelFilter) {
        double sum = 0;
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("#") || !line.startsWith(name)) {
                continue;
            }
            final String rest = line.substring(name.length());
            if (!(rest.startsWith("{") || rest.startsWith(" "))) {
                continue;
            }
            if (labelFilter != null && !rest.contains(labelFilter)) {
                continue;
            }
            final String[] parts = line.trim().split("\\s+", -1);
            sum += Double.parseDouble(parts[parts.length - 1]);
        }
        return sum;
    }
}
