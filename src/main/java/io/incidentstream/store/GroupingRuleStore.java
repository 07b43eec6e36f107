package io.incidentstream.store;

import io.incidentstream.codec.Json;
import io.incidentstream.grouping.GroupLifecycle;
import io.incidentstream.grouping.GroupingRule;
import io.incidentstream.grouping.Rule;
import io.incidentstream.grouping.Rules;
import io.incidentstream.model.AlertEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The grouping rules of every tenant: a global store over the compacted topic {@code grouping-rules}
 * (key {@code tenantId/ruleId}, value the rule as JSON, a tombstone deletes), so every instance and
 * every task sees every rule. In memory: the topic is small and is read again at each start.
 *
 * <p>{@link #route} runs for every alert, so compiled rules are cached by their stored bytes: a rule
 * is compiled once per change, and a tenant without rules costs one empty prefix scan.
 */
public final class GroupingRuleStore {
    /** The global store's name. */
    public static final String NAME = "grouping-rules-store";

    private static final StringSerializer KEYS = new StringSerializer();

    private final ReadOnlyKeyValueStore<String, byte[]> store;
    private final Map<String, Compiled> compiled = new HashMap<>();

    /** A rule and the stored bytes it was compiled from (compared by content, never mutated). */
    @SuppressWarnings("ArrayRecordComponent")
    private record Compiled(byte[] raw, Rule rule) {}

    public GroupingRuleStore(final ReadOnlyKeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    public static GroupingRuleStore from(final org.apache.kafka.streams.processor.api.ProcessingContext context) {
        return new GroupingRuleStore(context.getStateStore(NAME));
    }

    /** The global store: in memory, restored from its topic (which is its changelog). */
    public static StoreBuilder<KeyValueStore<String, byte[]>> builder() {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(NAME), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled();
    }

    /** Keeps the global store equal to the topic: a rule per key, a tombstone removes it. */
    public static ProcessorSupplier<String, byte[], Void, Void> updater() {
        return () -> new Processor<>() {
            private KeyValueStore<String, byte[]> rules;

            @Override
            public void init(final ProcessorContext<Void, Void> context) {
                rules = context.getStateStore(NAME);
            }

            @Override
            public void process(final Record<String, byte[]> record) {
                if (record.key() == null) {
                    return;
                }
                if (record.value() == null) {
                    rules.delete(record.key());
                } else {
                    rules.put(record.key(), record.value());
                }
            }
        };
    }

    /** The store key of a rule. */
    public static String key(final String tenantId, final String ruleId) {
        return tenantId + "/" + ruleId;
    }

    /**
     * The group of the first of the tenant's rules that takes the alert, or empty (then the alert is
     * folded alone, as without rules). A stored rule that no longer compiles is skipped.
     */
    public Optional<GroupLifecycle.Group> route(final AlertEvent event) {
        if (store.approximateNumEntries() == 0) {
            return Optional.empty();
        }
        for (Rule rule : rules(event.tenantId())) {
            if (rule.matches(event)) {
                final Map<String, String> labels = rule.groupLabels(event);
                return Optional.of(new GroupLifecycle.Group(rule, rule.groupKey(event.tenantId(), labels), labels));
            }
        }
        return Optional.empty();
    }

    /** The tenant's rules in evaluation order (position, then id). */
    public List<Rule> rules(final String tenantId) {
        final List<Rule> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.prefixScan(tenantId + "/", KEYS)) {
            while (it.hasNext()) {
                final KeyValue<String, byte[]> kv = it.next();
                final Rule rule = compiled(kv.key, kv.value);
                if (rule != null) {
                    out.add(rule);
                }
            }
        }
        out.sort(Comparator.comparingInt(Rule::position).thenComparing(Rule::id));
        return out;
    }

    /** One rule, or null. */
    public Rule rule(final String tenantId, final String ruleId) {
        final String key = key(tenantId, ruleId);
        final byte[] raw = store.get(key);
        return raw == null ? null : compiled(key, raw);
    }

    private Rule compiled(final String key, final byte[] raw) {
        final Compiled known = compiled.get(key);
        if (known != null && (known.raw == raw || Arrays.equals(known.raw, raw))) {
            return known.rule;
        }
        final Rule rule = parse(raw);
        compiled.put(key, new Compiled(raw, rule));
        return rule;
    }

    /** The rule stored as these bytes, compiled; null when they are not a valid rule. */
    public static Rule parse(final byte[] raw) {
        try {
            return Rules.compile(Json.mapper().readValue(raw, GroupingRule.class));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
