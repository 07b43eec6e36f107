package io.incidentstream.silence;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the rest of the application asks of silences: which mute an alert now, and which stopped muting.
 * Every instance holds every tenant's silences, so the answer needs no call to a peer.
 *
 * <p>Labels are an alert's labels plus {@code alertname}, {@code alertId} and {@code severity}
 * ({@link SilenceLabels#of} builds them for an incident).
 */
public interface Silences {
    /** The ids of the tenant's silences that mute these labels at {@code at}, sorted; empty when none. */
    List<String> silencedBy(String tenant, Map<String, String> labels, Instant at);

    /**
     * The silences of every tenant that stopped muting in {@code (from, to]}: an ordinary silence at its
     * {@code endsAt} (reached, or set by expiring it), a recurring one at the end of each window (or at
     * {@code endsAt} inside one). A pending silence expired before it started never muted, so never ends.
     * An incident its matchers select that is still firing and muted by no other silence at
     * {@code endedAt} is one to notify again.
     */
    List<Ending> endedBetween(Instant from, Instant to);

    /** A silence that stopped muting at {@code endedAt}. */
    record Ending(Silence silence, Instant endedAt) {}

    /** No silences at all. */
    Silences NONE = new Silences() {
        @Override
        public List<String> silencedBy(final String tenant, final Map<String, String> labels, final Instant at) {
            return List.of();
        }

        @Override
        public List<Ending> endedBetween(final Instant from, final Instant to) {
            return List.of();
        }
    };
}
