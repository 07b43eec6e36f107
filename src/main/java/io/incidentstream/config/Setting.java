package io.incidentstream.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One environment variable: its name, how its text becomes a value (and what makes it invalid), its
 * default, and what it means. {@link Settings} declares every one of them once; parsing, the README's
 * table and the deployment checks all read that declaration.
 *
 * @param parse       text → value; throws {@link IllegalArgumentException} with the reason when invalid
 * @param fallback    the value when unset, or null when the default is computed from other settings
 * @param shownDefault the default as the README shows it
 * @param doc         what it means, as Markdown for the README's table
 */
public record Setting<T>(String name, Function<String, T> parse, T fallback, String shownDefault, String doc) {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SIZE =
            Pattern.compile("(\\d{1,18})\\s*(|B|KB|KiB|MB|MiB|GB|GiB)", Pattern.CASE_INSENSITIVE);

    /** The README row: {@code | `NAME` | default | meaning |}. */
    public String markdownRow() {
        return "| `" + name + "` | " + shownDefault + " | " + doc + " |";
    }

    static Setting<String> text(final String name, final String fallback, final String doc) {
        return new Setting<>(name, v -> v, fallback, code(fallback), doc);
    }

    /** Text with no default of its own: unset, or computed from other settings in {@link Config#from}. */
    static Setting<String> computedText(final String name, final String shownDefault, final String doc) {
        return new Setting<>(name, v -> v, null, shownDefault, doc);
    }

    static Setting<Integer> integer(
            final String name,
            final Integer fallback,
            final int min,
            final int max,
            final String shownDefault,
            final String doc) {
        return new Setting<>(name, v -> parseInt(v, min, max), fallback, shownDefault, doc);
    }

    static Setting<Integer> integer(
            final String name, final int fallback, final int min, final int max, final String doc) {
        return integer(name, fallback, min, max, code(Integer.toString(fallback)), doc);
    }

    static Setting<Duration> duration(final String name, final String fallback, final String doc) {
        return new Setting<>(
                name, Setting::parsePositiveDuration, parsePositiveDuration(fallback), code(fallback), doc);
    }

    /** Comma-separated positive ISO-8601 durations, at least one. */
    static Setting<List<Duration>> durations(final String name, final String fallback, final String doc) {
        return new Setting<>(name, Setting::parseDurations, parseDurations(fallback), code(fallback), doc);
    }

    private static List<Duration> parseDurations(final String v) {
        final List<Duration> out = new ArrayList<>();
        for (String part : v.split(",", -1)) {
            out.add(parsePositiveDuration(part.strip()));
        }
        return List.copyOf(out);
    }

    static Setting<Long> size(final String name, final String fallback, final String doc) {
        return new Setting<>(name, Setting::parseSize, parseSize(fallback), code(fallback), doc);
    }

    static Setting<Boolean> bool(final String name, final boolean fallback, final String doc) {
        return new Setting<>(name, Setting::parseBoolean, fallback, code(Boolean.toString(fallback)), doc);
    }

    static Setting<String> oneOf(
            final String name, final String fallback, final List<String> allowed, final String doc) {
        return new Setting<>(
                name,
                v -> {
                    final String lower = v.toLowerCase(Locale.ROOT);
                    if (!allowed.contains(lower)) {
                        throw new IllegalArgumentException("must be one of " + allowed);
                    }
                    return lower;
                },
                fallback,
                code(fallback),
                doc);
    }

    /** A comma-separated list of label names (Prometheus's: letters, digits, {@code _} and {@code :}); empty for none. */
    static Setting<List<String>> names(final String name, final String fallback, final String doc) {
        return new Setting<>(name, Setting::parseNames, parseNames(fallback), code(fallback), doc);
    }

    private static List<String> parseNames(final String v) {
        final List<String> names = new ArrayList<>();
        for (String part : v.split(",", -1)) {
            final String n = part.strip();
            if (n.isEmpty()) {
                if (v.isBlank()) {
                    continue;
                }
                throw new IllegalArgumentException("has an empty name");
            }
            if (!NAME.matcher(n).matches()) {
                throw new IllegalArgumentException("'" + n + "' is not a label name");
            }
            if (!names.contains(n)) {
                names.add(n);
            }
        }
        return List.copyOf(names);
    }

    private static String code(final String value) {
        return "`" + value + "`";
    }

    private static int parseInt(final String v, final int min, final int max) {
        final int value;
        try {
            value = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer", e);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + max);
        }
        return value;
    }

    private static Duration parsePositiveDuration(final String v) {
        final Duration d;
        try {
            d = Duration.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO-8601 duration such as PT5M", e);
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("must be positive");
        }
        return d;
    }

    static boolean parseBoolean(final String v) {
        final String text = v.toLowerCase(Locale.ROOT);
        if (!text.equals("true") && !text.equals("false")) {
            throw new IllegalArgumentException("must be true or false");
        }
        return Boolean.parseBoolean(text);
    }

    private static long parseSize(final String v) {
        final Matcher m = SIZE.matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size such as 1MiB or 65536");
        }
        final long n = Long.parseLong(m.group(1));
        if (n <= 0) {
            throw new IllegalArgumentException("must be positive");
        }
        final long factor = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "kb", "kib" -> 1L << 10;
            case "mb", "mib" -> 1L << 20;
            case "gb", "gib" -> 1L << 30;
            default -> 1L;
        };
        try {
            return Math.multiplyExact(n, factor);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("too large", e);
        }
    }
}
