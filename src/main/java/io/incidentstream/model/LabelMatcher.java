package io.incidentstream.model;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Map;
import java.util.Objects;

/**
 * One Alertmanager label matcher ({@code name="value"}, {@code name!=value}, {@code name=~"re"},
 * {@code name!~"re"}), parsed and applied as Alertmanager's API does, so that a filter typed for
 * amtool or Grafana selects here what it selects there.
 *
 * <p>The text is read like Alertmanager's classic {@code labels.ParseMatcher}: a Prometheus label name,
 * an operator, and a value that may be double-quoted, with {@code \"}, {@code \\} and {@code \n} as
 * escapes; whitespace around each part is dropped. A regular expression is RE2 (RE2/J, linear time,
 * the syntax of Go's standard library) and anchored at both ends.
 */
public record LabelMatcher(String name, Type type, String value, Pattern regex) {

    /** The four operators. */
    public enum Type {
        EQUAL("="),
        NOT_EQUAL("!="),
        REGEX("=~"),
        NOT_REGEX("!~");

        private final String operator;

        Type(final String operator) {
            this.operator = operator;
        }

        public String operator() {
            return operator;
        }

        boolean negated() {
            return this == NOT_EQUAL || this == NOT_REGEX;
        }
    }

    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final java.util.regex.Pattern SYNTAX =
            java.util.regex.Pattern.compile("^\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(=~|=|!=|!~)\\s*((?s).*?)\\s*$");

    public LabelMatcher {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
    }

    /**
     * Parses one matcher.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static LabelMatcher parse(final String text) {
        final java.util.regex.Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad matcher format: " + Texts.abbreviate(text));
        }
        return of(m.group(1), type(m.group(2)), unquote(m.group(3)));
    }

    /**
     * A matcher from its parts, the regex compiled.
     *
     * @throws IllegalArgumentException when the name is not a label name or the regex does not compile
     */
    public static LabelMatcher of(final String name, final Type type, final String value) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad label name: " + Texts.abbreviate(name));
        }
        Pattern regex = null;
        if (type == Type.REGEX || type == Type.NOT_REGEX) {
            try {
                regex = Pattern.compile("^(?:" + value + ")$", Pattern.DOTALL);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(
                        "matcher " + name + " has an invalid regular expression: " + Texts.abbreviate(value), e);
            }
        }
        return new LabelMatcher(name, type, value, regex);
    }

    /** Whether this is an equality with a value: what an index of label values can answer. */
    public boolean isEquality() {
        return type == Type.EQUAL && !value.isEmpty();
    }

    private static Type type(final String operator) {
        for (Type t : Type.values()) {
            if (t.operator.equals(operator)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown operator " + operator);
    }

    /** Alertmanager's unescaping: a leading quote needs a trailing one; no bare quote in between. */
    private static String unquote(final String raw) {
        final boolean quoted = raw.startsWith("\"");
        final String body = quoted ? raw.substring(1) : raw;
        final StringBuilder out = new StringBuilder(body.length());
        boolean closed = !quoted;
        for (int i = 0; i < body.length(); i++) {
            final char c = body.charAt(i);
            if (c == '\\' && i < body.length() - 1) {
                final char next = body.charAt(++i);
                switch (next) {
                    case 'n' -> out.append('\n');
                    case '"', '\\' -> out.append(next);
                    default -> out.append('\\').append(next);
                }
            } else if (c == '"') {
                if (!quoted || i < body.length() - 1) {
                    throw new IllegalArgumentException(
                            "matcher value contains an unescaped double quote: " + Texts.abbreviate(raw));
                }
                closed = true;
            } else {
                out.append(c);
            }
        }
        if (!closed) {
            throw new IllegalArgumentException(
                    "matcher value contains an unescaped double quote: " + Texts.abbreviate(raw));
        }
        return out.toString();
    }

    /** Whether {@code value} (the empty string for an absent label) satisfies this matcher. */
    public boolean matches(final String labelValue) {
        final boolean hit = regex != null ? regex.matches(labelValue) : value.equals(labelValue);
        return type.negated() != hit;
    }

    /**
     * Whether a label set passes this matcher, with Alertmanager's API rule for empty values: a
     * matcher {@code name=""} (or {@code =~""}) also passes when the label is absent, and
     * {@code name!=""} (or {@code !~""}) passes when it is present, whatever its value.
     */
    public boolean matches(final Map<String, String> labels) {
        final String actual = labels.get(name);
        if (value.isEmpty() && (type.negated() == (actual != null))) {
            return true;
        }
        return matches(actual == null ? "" : actual);
    }

    /** Matchers are equal when written the same; the compiled regex follows from that. */
    @Override
    public boolean equals(final Object o) {
        return o instanceof LabelMatcher other
                && name.equals(other.name)
                && type == other.type
                && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, value);
    }

    @Override
    public String toString() {
        return name + type.operator + '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
