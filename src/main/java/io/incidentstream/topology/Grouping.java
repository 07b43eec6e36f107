package io.incidentstream.topology;

import io.incidentstream.codec.Json;
import io.incidentstream.grouping.GroupingRule;
import io.incidentstream.grouping.Rule;
import io.incidentstream.grouping.Rules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * How a grouped alert carries its rule from the re-key step to the fold: the rule's normalised JSON
 * in a record header. The fold so applies the rule the alert was routed by, even when the rule
 * changed or went in between (the record sits on the group's partition either way), and a replay
 * after a crash folds it the same way.
 */
final class Grouping {
    static final String HEADER = "incident-stream.grouping-rule";
    private static final int CACHE = 256;

    /** Compiled rules by their header text: the same few rules arrive again and again. */
    private final Map<String, Rule> compiled = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<String, Rule> eldest) {
            return size() > CACHE;
        }
    };

    static byte[] header(final Rule rule) {
        try {
            return Json.mapper().writeValueAsBytes(rule.definition());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The header of the rule last written, per re-key step: the rule store hands out the same compiled
     * rule until the rule changes, and writing its JSON for every alert was 3 % of the stream thread.
     * The bytes are shared by the records' headers, which nothing writes to.
     */
    static final class RuleHeaders {
        private Rule rule;
        private byte[] header;

        // Identity on purpose: an equal rule compiled anew (Alertmanager groups) only writes its JSON again.
        @SuppressWarnings("ReferenceEquality")
        byte[] of(final Rule r) {
            if (r != rule) {
                header = header(r);
                rule = r;
            }
            return header;
        }
    }

    /** The rule a record was routed by, or null for an alert folded alone. */
    Rule ruleOf(final Headers headers) {
        final Header header = headers.lastHeader(HEADER);
        if (header == null || header.value() == null) {
            return null;
        }
        final String text = new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
        Rule rule = compiled.get(text);
        if (rule == null) {
            try {
                rule = Rules.compile(Json.mapper().readValue(header.value(), GroupingRule.class));
            } catch (IOException | RuntimeException e) {
                return null;
            }
            compiled.put(text, rule);
        }
        return rule;
    }
}
