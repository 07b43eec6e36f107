package io.incidentstream.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parser for the Prometheus text exposition format (0.0.4), enough to read our own scrapes in
 * tests: {@code name{label="value",...} value [timestamp]} per line, {@code #} comments skipped,
 * label values unescaped ({@code \\}, {@code \"}, {@code \n}). Assertions then work on numbers,
 * not on substrings of the text.
 */
public final class PrometheusText {

    public record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples;

    private PrometheusText(final List<Sample> samples) {
        this.samples = List.copyOf(samples);
    }

    public static PrometheusText parse(final String text) {
        final List<Sample> samples = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            try {
                samples.add(parseLine(line));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + lineNo + " is not a sample: " + line, e);
            }
        }
        return new PrometheusText(samples);
    }

    private static Sample parseLine(final String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        final String name = line.substring(0, i);
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("bad metric name '" + name + "'");
        }
        final Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i = parseLabels(line, i + 1, labels);
        }
        final String[] rest = line.substring(i).trim().split(" +", -1);
        if (rest.length < 1 || rest.length > 2) {
            throw new IllegalArgumentException("expected a value and an optional timestamp");
        }
        return new Sample(name, labels, value(rest[0]));
    }

    /** Parses {@code k="v",...}} from {@code start}; returns the index after the closing brace. */
    private static int parseLabels(final String line, final int start, final Map<String, String> labels) {
        int i = start;
        while (line.charAt(i) != '}') {
            final int eq = line.indexOf('=', i);
            final String key = line.substring(i, eq).trim();
            if (line.charAt(eq + 1) != '"') {
                throw new IllegalArgumentException("label value of " + key + " is not quoted");
            }
            final StringBuilder value = new StringBuilder();
            i = eq + 2;
            for (char c = line.charAt(i); c != '"'; c = line.charAt(++i)) {
                if (c == '\\') {
                    final char next = line.charAt(++i);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
            }
            labels.put(key, value.toString());
            i++;
            if (line.charAt(i) == ',') {
                i++;
            }
        }
        return i + 1;
    }

    private static double value(final String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    public List<Sample> samples() {
        return samples;
    }

    /** Every sample name (with the {@code _total}, {@code _bucket}, ... suffixes as exposed). */
    public Set<String> names() {
        final Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    /** Samples of {@code name} carrying at least the given label pairs ({@code "k1", "v1", "k2", "v2"}). */
    public List<Sample> matching(final String name, final String... labelPairs) {
        if (labelPairs.length % 2 != 0) {
            throw new IllegalArgumentException("label pairs come in twos");
        }
        final List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            if (s.name().equals(name) && hasLabels(s, labelPairs)) {
                out.add(s);
            }
        }
        return out;
    }

    /** The value of the one sample of {@code name} with these labels; fails when there is none or several. */
    public double value(final String name, final String... labelPairs) {
        final List<Sample> found = matching(name, labelPairs);
        if (found.size() != 1) {
            throw new AssertionError("expected one sample " + name + " " + List.of(labelPairs) + ", found " + found);
        }
        return found.get(0).value();
    }

    /** Sum over the samples of {@code name} with these labels; 0 when there are none. */
    public double sum(final String name, final String... labelPairs) {
        return matching(name, labelPairs).stream().mapToDouble(Sample::value).sum();
    }

    private static boolean hasLabels(final Sample s, final String[] pairs) {
        for (int k = 0; k < pairs.length; k += 2) {
            if (!pairs[k + 1].equals(s.labels().get(pairs[k]))) {
                return false;
            }
        }
        return true;
    }
}
