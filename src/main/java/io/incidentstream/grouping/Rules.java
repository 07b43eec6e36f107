package io.incidentstream.grouping;

import io.incidentstream.errors.BadRequestException;
import io.incidentstream.model.Bounds;
import io.incidentstream.model.LabelMatcher;
import io.incidentstream.model.Severity;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a {@link GroupingRule} and compiles it: every refusal is a {@link BadRequestException}
 * whose message starts with the field at fault ({@code window: …}, {@code match.labels.env: …}).
 * The bounds keep one rule small and cheap to evaluate on every alert of its tenant.
 */
public final class Rules {
    /** Rules per tenant at most: each is evaluated on every alert of the tenant until one matches. */
    public static final int MAX_RULES_PER_TENANT = 100;

    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);
    public static final Duration MAX_WINDOW = Duration.ofDays(7);
    public static final Duration MAX_MAX_AGE = Duration.ofDays(30);
    static final int MAX_MIN_ALERTS = 100;
    static final int MAX_MATCHERS = 32;
    static final int MAX_GROUP_BY = 16;
    static final int MAX_VALUE_CHARS = 1024;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private Rules() {}

    /** Whether {@code id} can name a rule (it becomes part of store and record keys). */
    public static boolean validId(final String id) {
        return id != null && ID.matcher(id).matches();
    }

    /**
     * The rule checked, with its defaults filled in.
     *
     * @throws BadRequestException naming the first field at fault
     */
    public static Rule compile(final GroupingRule r) {
        if (r == null) {
            throw new BadRequestException("body: a grouping rule object is required");
        }
        if (!validId(r.id())) {
            throw bad("id", "must be 1 to 64 of A-Z a-z 0-9 . _ -");
        }
        final int position = r.position() == null ? 0 : r.position();
        if (position < 0 || position > 1_000_000) {
            throw bad("position", "must be between 0 and 1000000");
        }
        final GroupingRule.Match match = r.match() == null ? new GroupingRule.Match(null, null, null, null) : r.match();
        final List<LabelMatcher> labels = labelMatchers(match.labels());
        final Set<Severity> severities = severities(match.severity());
        final LabelMatcher template = valueMatcher("match.alertTemplateId", "alertTemplateId", match.alertTemplateId());
        final LabelMatcher source = valueMatcher("match.source", "source", match.source());
        final List<String> groupBy = groupBy(r.groupBy());
        final Duration window = duration("window", r.window(), DEFAULT_WINDOW, MAX_WINDOW);
        final Duration maxAge = duration("maxAge", r.maxAge(), DEFAULT_MAX_AGE, MAX_MAX_AGE);
        final ResolveWhen resolveWhen = r.resolveWhen() == null ? ResolveWhen.ALL : ResolveWhen.parse(r.resolveWhen());
        if (resolveWhen == null) {
            throw bad("resolveWhen", "must be one of all, first, never");
        }
        final int minAlerts = r.minAlerts() == null ? 1 : r.minAlerts();
        if (minAlerts < 1 || minAlerts > MAX_MIN_ALERTS) {
            throw bad("minAlerts", "must be between 1 and " + MAX_MIN_ALERTS);
        }
        final String title = title(r.title(), groupBy);
        final GroupingRule normalised = new GroupingRule(
                r.id(),
                position,
                normalisedMatch(match, severities),
                groupBy,
                window.toString(),
                maxAge.toString(),
                resolveWhen.json(),
                minAlerts,
                title);
        return new Rule(
                normalised,
                r.id(),
                position,
                labels,
                severities,
                template,
                source,
                groupBy,
                window,
                maxAge,
                resolveWhen,
                minAlerts,
                title);
    }

    private static GroupingRule.Match normalisedMatch(final GroupingRule.Match m, final Set<Severity> severities) {
        return new GroupingRule.Match(
                m.labels() == null ? Map.of() : new TreeMap<>(m.labels()),
                severities.stream().map(Severity::json).toList(),
                m.alertTemplateId(),
                m.source());
    }

    private static List<LabelMatcher> labelMatchers(final Map<String, String> labels) {
        if (labels == null) {
            return List.of();
        }
        if (labels.size() > MAX_MATCHERS) {
            throw bad("match.labels", "has " + labels.size() + " entries, more than " + MAX_MATCHERS);
        }
        final List<LabelMatcher> out = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
            if (!LABEL_NAME.matcher(e.getKey()).matches()) {
                throw bad("match.labels", "\"" + abbreviate(e.getKey()) + "\" is not a label name");
            }
            out.add(valueMatcher("match.labels." + e.getKey(), e.getKey(), e.getValue()));
        }
        return List.copyOf(out);
    }

    /** Exact, or a regex with a leading {@code ~}; null for an absent value. */
    private static LabelMatcher valueMatcher(final String field, final String name, final String value) {
        if (value == null) {
            return null;
        }
        if (value.length() > MAX_VALUE_CHARS) {
            throw bad(field, "is longer than " + MAX_VALUE_CHARS + " characters");
        }
        try {
            return value.startsWith("~")
                    ? LabelMatcher.of(name, LabelMatcher.Type.REGEX, value.substring(1))
                    : LabelMatcher.of(name, LabelMatcher.Type.EQUAL, value);
        } catch (IllegalArgumentException e) {
            throw bad(field, "is not a valid RE2 regular expression");
        }
    }

    private static Set<Severity> severities(final List<String> names) {
        if (names == null || names.isEmpty()) {
            return Set.of();
        }
        final Set<Severity> out = EnumSet.noneOf(Severity.class);
        for (String name : names) {
            try {
                out.add(Severity.parse(name));
            } catch (RuntimeException e) {
                throw bad(
                        "match.severity",
                        "\"" + abbreviate(String.valueOf(name)) + "\" is not one of critical, high, medium, low");
            }
        }
        return Set.copyOf(out);
    }

    private static List<String> groupBy(final List<String> names) {
        if (names == null) {
            return List.of();
        }
        if (names.size() > MAX_GROUP_BY) {
            throw bad("groupBy", "has " + names.size() + " names, more than " + MAX_GROUP_BY);
        }
        final Set<String> seen = new LinkedHashSet<>();
        for (String name : names) {
            if (name == null || !LABEL_NAME.matcher(name).matches()) {
                throw bad("groupBy", "\"" + abbreviate(String.valueOf(name)) + "\" is not a label name");
            }
            if (!seen.add(name)) {
                throw bad("groupBy", "names " + name + " twice");
            }
        }
        return List.copyOf(seen);
    }

    private static Duration duration(final String field, final String text, final Duration dflt, final Duration max) {
        if (text == null) {
            return dflt;
        }
        final Duration d;
        try {
            d = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw bad(field, "is not an ISO-8601 duration (PT15M, PT12H, P1D)");
        }
        if (d.isNegative() || d.isZero() || d.compareTo(max) > 0) {
            throw bad(field, "must be more than zero and at most " + max);
        }
        return d;
    }

    private static String title(final String title, final List<String> groupBy) {
        if (title == null) {
            return null;
        }
        if (title.length() > Bounds.MAX_TITLE_CHARS) {
            throw bad("title", "is longer than " + Bounds.MAX_TITLE_CHARS + " characters");
        }
        final Set<String> known = new HashSet<>(groupBy);
        known.add(Rule.MEMBER_COUNT);
        final Matcher m = Rule.PLACEHOLDER.matcher(title);
        while (m.find()) {
            if (!known.contains(m.group(1))) {
                throw bad("title", "{{" + m.group(1) + "}} is neither a groupBy name nor memberCount");
            }
        }
        return title;
    }

    private static String abbreviate(final String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }

    private static BadRequestException bad(final String field, final String message) {
        return new BadRequestException(field + ": " + message);
    }
}
