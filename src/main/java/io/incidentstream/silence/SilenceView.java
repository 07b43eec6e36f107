package io.incidentstream.silence;

import io.incidentstream.model.LabelMatcher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's copy of every tenant's silences, with their matchers compiled once. Written by one
 * reader of the {@code silences} topic ({@link KafkaSilenceLog}), read by any thread.
 */
public final class SilenceView implements Silences {
    private static final Logger LOG = LoggerFactory.getLogger(SilenceView.class);

    private record Entry(Silence silence, List<LabelMatcher> compiled) {}

    private final Map<String, Map<String, Entry>> byTenant = new ConcurrentHashMap<>();

    /** Takes in a stored silence, replacing the one with its id. One that no longer compiles is skipped, logged. */
    public void put(final Silence silence) {
        final List<LabelMatcher> compiled;
        try {
            compiled = silence.compiled();
        } catch (IllegalArgumentException e) {
            LOG.warn("Skipping silence {} of tenant {}: {}", silence.id(), silence.tenantId(), e.getMessage());
            return;
        }
        byTenant.computeIfAbsent(silence.tenantId(), t -> new ConcurrentHashMap<>())
                .put(silence.id(), new Entry(silence, compiled));
    }

    /** Forgets a silence (its tombstone arrived). */
    public void remove(final String tenant, final String id) {
        final Map<String, Entry> silences = byTenant.get(tenant);
        if (silences != null) {
            silences.remove(id);
        }
    }

    public Optional<Silence> get(final String tenant, final String id) {
        final Map<String, Entry> silences = byTenant.get(tenant);
        final Entry e = silences == null ? null : silences.get(id);
        return e == null ? Optional.empty() : Optional.of(e.silence());
    }

    /** The tenant's silences, in no order. */
    public List<Silence> all(final String tenant) {
        final Map<String, Entry> silences = byTenant.get(tenant);
        return silences == null
                ? List.of()
                : silences.values().stream().map(Entry::silence).toList();
    }

    /** Every tenant's silences, in no order. */
    public List<Silence> all() {
        final List<Silence> out = new ArrayList<>();
        byTenant.values().forEach(m -> m.values().forEach(e -> out.add(e.silence())));
        return out;
    }

    @Override
    public List<String> silencedBy(final String tenant, final Map<String, String> labels, final Instant at) {
        final Map<String, Entry> silences = byTenant.get(tenant);
        if (silences == null || silences.isEmpty()) {
            return List.of();
        }
        final List<String> ids = new ArrayList<>(2);
        for (Entry e : silences.values()) {
            if (e.silence().mutesAt(at) && Silence.matches(e.compiled(), labels)) {
                ids.add(e.silence().id());
            }
        }
        ids.sort(null);
        return ids;
    }

    @Override
    public List<Ending> endedBetween(final Instant from, final Instant to) {
        final List<Ending> out = new ArrayList<>();
        for (Map<String, Entry> silences : byTenant.values()) {
            for (Entry e : silences.values()) {
                SilenceEndings.between(e.silence(), from, to).forEach(at -> out.add(new Ending(e.silence(), at)));
            }
        }
        out.sort(Comparator.comparing(Ending::endedAt));
        return out;
    }

    /** How many silences this instance holds, over every tenant. */
    public int size() {
        return byTenant.values().stream().mapToInt(Map::size).sum();
    }
}
