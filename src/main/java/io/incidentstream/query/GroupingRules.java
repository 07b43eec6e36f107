package io.incidentstream.query;

import io.incidentstream.codec.Json;
import io.incidentstream.errors.BadRequestException;
import io.incidentstream.errors.NotFoundException;
import io.incidentstream.errors.UnavailableException;
import io.incidentstream.grouping.GroupingRule;
import io.incidentstream.grouping.Rule;
import io.incidentstream.grouping.Rules;
import io.incidentstream.store.GroupingRuleStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The grouping rules API: list, put and delete a tenant's rules. Writes go to the compacted topic
 * and return once this instance's global store holds them (read-your-writes here; other instances
 * follow within their global consumer's lag). The fold applies a change to alerts routed after it.
 */
public final class GroupingRules {
    private static final Duration POLL = Duration.ofMillis(20);

    private final Supplier<GroupingRuleStore> store;
    private final RuleSink sink;
    private final Duration timeout;

    public GroupingRules(final Supplier<GroupingRuleStore> store, final RuleSink sink, final Duration timeout) {
        this.store = store;
        this.sink = sink;
        this.timeout = timeout;
    }

    /** The tenant's rules in evaluation order, normalised (defaults filled in). */
    public List<GroupingRule> list(final String tenant) {
        return store.get().rules(tenant).stream().map(Rule::definition).toList();
    }

    public GroupingRule get(final String tenant, final String id) {
        final Rule rule = Rules.validId(id) ? store.get().rule(tenant, id) : null;
        if (rule == null) {
            throw new NotFoundException("no grouping rule " + id);
        }
        return rule.definition();
    }

    /**
     * Creates or replaces a rule.
     *
     * @throws BadRequestException naming the field at fault, or when the tenant has too many rules
     */
    public GroupingRule put(final String tenant, final String id, final GroupingRule body) {
        if (body != null && body.id() != null && !body.id().equals(id)) {
            throw new BadRequestException("id: the body names " + body.id() + ", the path " + id);
        }
        if (!Rules.validId(id)) {
            throw new BadRequestException("id: must be 1 to 64 of A-Z a-z 0-9 . _ -");
        }
        final Rule rule = Rules.compile(body == null ? null : body.withId(id));
        final GroupingRuleStore rules = store.get();
        if (rules.rule(tenant, id) == null && rules.rules(tenant).size() >= Rules.MAX_RULES_PER_TENANT) {
            throw new BadRequestException("id: the tenant already has " + Rules.MAX_RULES_PER_TENANT + " rules");
        }
        final byte[] json;
        try {
            json = Json.mapper().writeValueAsBytes(rule.definition());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sink.send(GroupingRuleStore.key(tenant, id), json);
        await(() -> {
            final Rule stored = store.get().rule(tenant, id);
            return stored != null && stored.definition().equals(rule.definition());
        });
        return rule.definition();
    }

    public void delete(final String tenant, final String id) {
        get(tenant, id);
        sink.send(GroupingRuleStore.key(tenant, id), null);
        await(() -> store.get().rule(tenant, id) == null);
    }

    /** Waits until this instance's global store shows the write. */
    private void await(final java.util.function.BooleanSupplier done) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new UnavailableException(
                        "the rule was written but this instance has not read it back yet", Duration.ofSeconds(1));
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnavailableException("interrupted", Duration.ofSeconds(1), e);
            }
        }
    }
}
