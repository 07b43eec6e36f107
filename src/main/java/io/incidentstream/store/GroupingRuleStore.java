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
import java.util.concurrent.atomic.AtomicLong;
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
 * is compiled once per change. A tenant's rules in order are kept too, until the store next changes
 * ({@link #CHANGES}, counted by the {@link #updater()} after each write): a prefix scan and a sort per
 * alert were 3 % of the grouped benchmark's stream thread.
 */
public final class GroupingRuleStore {
    /** The global store's name. */
    public static final String NAME = "grouping-rules-store";

    private static final StringSerializer KEYS = new StringSerializer();
    /** Tenants whose rules in order are kept; past it the kept lists are dropped and built again. */
    private static final int MAX_TENANTS_KEPT = 10_000;
    /**
     * Writes to any rule store of this JVM, counted after each: a kept list is used only while the count
     * is what it was before the list was read, so a change is seen by the next alert after it is
     * visible. (The global store is restored before any task processes, so restoring needs no count.)
     */
    private static final AtomicLong CHANGES = new AtomicLong();

    private final ReadOnlyKeyValueStore<String, byte[]> store;
    private final Map<String, Compiled> compiled = new HashMap<>();
    private final Map<String, Ordered> ordered = new HashMap<>();

    /** A tenant's rules in evaluation order, as read when {@link #CHANGES} was {@code changes}. */
    private record Ordered(long changes, List<Rule> rules) {}

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
                CHANGES.incrementAndGet();
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
        final long changes = CHANGES.get();
        final Ordered kept = ordered.get(tenantId);
        if (kept != null && kept.changes == changes) {
            return kept.rules;
        }
        final List<Rule> rules = read(tenantId);
        if (ordered.size() >= MAX_TENANTS_KEPT) {
            ordered.clear();
        }
        ordered.put(tenantId, new Ordered(changes, rules));
        return rules;
    }

    private List<Rule> read(final String tenantId) {
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
        return List.copyOf(out);
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
