package io.incidentstream.model;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Map;

/**
 * One label matcher as Alertmanager writes them: {@code name=value}, {@code name!=value},
 * {@code name=~regex}, {@code name!~regex}. A label the incident does not have matches as the empty
 * string, as in Alertmanager ({@code team=""} finds incidents without a team). Regexes are anchored
 * at both ends and run on RE2J, linear in the label's length whatever the pattern, so no matcher can
 * make a scan blow up.
 */
public final class LabelMatcher {
    /** Longest matcher accepted (name, operator and value together). */
    public static final int MAX_LENGTH = 1024;

    /** How a matcher compares. */
    public enum Op {
        EQUAL("="),
        NOT_EQUAL("!="),
        REGEX("=~"),
        NOT_REGEX("!~");

        private final String symbol;

        Op(final String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    private final String name;
    private final Op op;
    private final String value;
    private final Pattern pattern;

    private LabelMatcher(final String name, final Op op, final String value) {
        this.name = name;
        this.op = op;
        this.value = value;
        this.pattern = op == Op.REGEX || op == Op.NOT_REGEX ? compile(name, value) : null;
    }

    /** A matcher from its parts; a regex that does not compile is an {@link IllegalArgumentException}. */
    public static LabelMatcher of(final String name, final Op op, final String value) {
        if (!validName(name)) {
            throw new IllegalArgumentException("label name '" + Texts.abbreviate(name)
                    + "' is not valid: letters, digits and _ . - / :, not starting with a digit");
        }
        return new LabelMatcher(name, op, value);
    }

    /**
     * Parses {@code name<op>value}. The value is taken as it is (no quotes to strip: a query string
     * parameter carries one matcher, and {@code "} is part of the value).
     *
     * @throws IllegalArgumentException naming the part that is wrong
     */
    public static LabelMatcher parse(final String text) {
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("label matcher is longer than " + MAX_LENGTH + " characters");
        }
        int i = 0;
        while (i < text.length() && isNameChar(text.charAt(i))) {
            i++;
        }
        final String name = text.substring(0, i);
        final String rest = text.substring(i);
        final Op op;
        if (rest.startsWith("=~")) {
            op = Op.REGEX;
        } else if (rest.startsWith("!~")) {
            op = Op.NOT_REGEX;
        } else if (rest.startsWith("!=")) {
            op = Op.NOT_EQUAL;
        } else if (rest.startsWith("=")) {
            op = Op.EQUAL;
        } else {
            throw new IllegalArgumentException("label matcher '" + Texts.abbreviate(text)
                    + "' needs an operator after the label name: =, !=, =~ or !~ (e.g. service=checkout)");
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException(
                    "label matcher '" + Texts.abbreviate(text) + "' has no label name before '" + op.symbol + "'");
        }
        return of(name, op, unquote(rest.substring(op.symbol.length())));
    }

    /**
     * A value in double quotes is taken without them, {@code \"} and {@code \\} unescaped, as
     * Alertmanager writes matchers: {@code service="~tilde"} is an equality with a value that starts
     * with {@code ~}, which {@code service=~tilde} (a regex) cannot say.
     */
    private static String unquote(final String value) {
        if (value.length() < 2 || value.charAt(0) != '"' || value.charAt(value.length() - 1) != '"') {
            return value;
        }
        final StringBuilder out = new StringBuilder(value.length());
        for (int i = 1; i < value.length() - 1; i++) {
            final char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() - 1) {
                out.append(value.charAt(++i));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    public String name() {
        return name;
    }

    public Op op() {
        return op;
    }

    public String value() {
        return value;
    }

    /** Whether an equality on this label could be answered by an index of its values. */
    public boolean isEquality() {
        return op == Op.EQUAL;
    }

    /** Whether the labels satisfy this matcher (a missing label is the empty string). */
    public boolean matches(final Map<String, String> labels) {
        final String actual = labels.getOrDefault(name, "");
        return switch (op) {
            case EQUAL -> actual.equals(value);
            case NOT_EQUAL -> !actual.equals(value);
            case REGEX -> pattern.matches(actual);
            case NOT_REGEX -> !pattern.matches(actual);
        };
    }

    /**
     * The matcher as it is written, e.g. {@code env=~prod-.*}; {@link #parse} reads it back. A value
     * that would read otherwise (starting with {@code ~} after {@code =}, or with a quote) is quoted.
     */
    @Override
    public String toString() {
        final boolean quote = value.startsWith("\"") || (op == Op.EQUAL && value.startsWith("~"));
        return name + op.symbol + (quote ? quoted(value) : value);
    }

    private static String quoted(final String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof LabelMatcher m && name.equals(m.name) && op == m.op && value.equals(m.value);
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    private static Pattern compile(final String name, final String regex) {
        try {
            // anchored, as in Alertmanager and Prometheus: env=~prod matches "prod", not "preprod"
            return Pattern.compile("^(?:" + regex + ")$");
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "label matcher on '" + name + "': the regex is not valid (RE2 syntax): " + e.getDescription());
        }
    }

    private static boolean validName(final String name) {
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isNameChar(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNameChar(final char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '_'
                || c == '.'
                || c == '-'
                || c == '/'
                || c == ':';
    }
}
