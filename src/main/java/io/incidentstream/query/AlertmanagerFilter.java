package io.incidentstream.query;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.incidentstream.errors.BadRequestException;
import io.incidentstream.model.LabelMatcher;
import io.incidentstream.model.Texts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query parameters of Alertmanager's {@code GET /api/v2/alerts} and {@code /api/v2/alerts/groups},
 * validated: {@code active}, {@code silenced}, {@code inhibited} (default true each),
 * {@code unprocessed} (alerts only) and {@code muted} (groups only), {@code filter} (matchers,
 * repeatable), {@code receiver} (an RE2 regex, anchored) and {@code receiver_matchers} (matchers on the
 * receiver's labels, repeatable). Every problem, an unknown parameter included, is a
 * {@link BadRequestException} naming it.
 *
 * <p>The flags exclude, as Alertmanager's do: {@code active=false} drops alerts whose state is
 * active, {@code silenced=false} those some silence suppresses, {@code inhibited=false} those some
 * other alert inhibits.
 */
public record AlertmanagerFilter(
        String tenant,
        boolean active,
        boolean silenced,
        boolean inhibited,
        boolean unprocessed,
        boolean muted,
        List<LabelMatcher> matchers,
        Pattern receiver,
        List<LabelMatcher> receiverMatchers) {

    /** Most matchers one request may give, over {@code filter} and {@code receiver_matchers}. */
    public static final int MAX_MATCHERS = 64;

    private static final int MAX_VALUE_LENGTH = 1024;
    private static final Set<String> ALERTS =
            Set.of("active", "silenced", "inhibited", "unprocessed", "filter", "receiver", "receiver_matchers");
    private static final Set<String> GROUPS =
            Set.of("active", "silenced", "inhibited", "muted", "filter", "receiver", "receiver_matchers");
    private static final Set<String> RECEIVERS = Set.of("receiver_matchers");

    public AlertmanagerFilter {
        matchers = List.copyOf(matchers);
        receiverMatchers = List.copyOf(receiverMatchers);
    }

    /** The parameters of {@code GET /api/v2/alerts}. */
    public static AlertmanagerFilter forAlerts(final String tenant, final Map<String, List<String>> params) {
        return parse(tenant, params, ALERTS);
    }

    /** The parameters of {@code GET /api/v2/alerts/groups}. */
    public static AlertmanagerFilter forGroups(final String tenant, final Map<String, List<String>> params) {
        return parse(tenant, params, GROUPS);
    }

    /** The parameters of {@code GET /api/v2/receivers}: only {@code receiver_matchers}. */
    public static AlertmanagerFilter forReceivers(final String tenant, final Map<String, List<String>> params) {
        return parse(tenant, params, RECEIVERS);
    }

    private static AlertmanagerFilter parse(
            final String tenant, final Map<String, List<String>> params, final Set<String> known) {
        int values = 0;
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            if (!known.contains(e.getKey())) {
                throw new BadRequestException("unknown query parameter '" + Texts.abbreviate(e.getKey()) + "'; known: "
                        + new TreeSet<>(known));
            }
            for (String v : e.getValue()) {
                if (v.length() > MAX_VALUE_LENGTH) {
                    throw new BadRequestException(e.getKey() + " is longer than " + MAX_VALUE_LENGTH + " characters");
                }
            }
            values += e.getValue().size();
        }
        final List<LabelMatcher> matchers = matchers(params, "filter");
        final List<LabelMatcher> receiverMatchers = matchers(params, "receiver_matchers");
        if (matchers.size() + receiverMatchers.size() > MAX_MATCHERS || values > MAX_MATCHERS + 8) {
            throw new BadRequestException("at most " + MAX_MATCHERS + " matchers per request");
        }
        return new AlertmanagerFilter(
                tenant,
                bool(params, "active"),
                bool(params, "silenced"),
                bool(params, "inhibited"),
                bool(params, "unprocessed"),
                bool(params, "muted"),
                matchers,
                receiver(single(params, "receiver")),
                receiverMatchers);
    }

    /** Whether an alert in {@code state} with these lists passes the flags. */
    boolean passes(final AlertmanagerShapes.AlertStatus status) {
        return (active || !status.state().equals(AlertmanagerShapes.AlertStatus.ACTIVE))
                && (unprocessed || !status.state().equals("unprocessed"))
                && (silenced || status.silencedBy().isEmpty())
                && (inhibited || status.inhibitedBy().isEmpty());
    }

    /** Whether labels pass every {@code filter} matcher. */
    boolean matches(final Map<String, String> labels) {
        return matchers.stream().allMatch(m -> m.matches(labels));
    }

    /** Whether a receiver of this name and these labels passes {@code receiver} and {@code receiver_matchers}. */
    boolean acceptsReceiver(final String name, final Map<String, String> labels) {
        return (receiver == null || receiver.matches(name))
                && receiverMatchers.stream().allMatch(m -> m.matches(labels));
    }

    private static List<LabelMatcher> matchers(final Map<String, List<String>> params, final String name) {
        final List<LabelMatcher> out = new ArrayList<>();
        for (String text : params.getOrDefault(name, List.of())) {
            try {
                out.add(LabelMatcher.parse(text));
            } catch (IllegalArgumentException e) {
                throw new BadRequestException(name + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static String single(final Map<String, List<String>> params, final String name) {
        final List<String> values = params.getOrDefault(name, List.of());
        if (values.size() > 1) {
            throw new BadRequestException(name + " may be given only once");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    /** Absent means true, as Alertmanager's defaults; go-openapi's clients send {@code true}/{@code false}. */
    private static boolean bool(final Map<String, List<String>> params, final String name) {
        final String v = single(params, name);
        if (v == null) {
            return true;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new BadRequestException(name + " must be true or false");
        };
    }

    private static Pattern receiver(final String regex) {
        if (regex == null || regex.isEmpty()) {
            return null;
        }
        try {
            return Pattern.compile("^(?:" + regex + ")$");
        } catch (PatternSyntaxException e) {
            throw new BadRequestException("receiver is not a valid regular expression: " + Texts.abbreviate(regex));
        }
    }
}
