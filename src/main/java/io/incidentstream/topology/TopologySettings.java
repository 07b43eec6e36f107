package io.incidentstream.topology;

import io.incidentstream.config.Config;
import io.incidentstream.store.IndexedLabels;
import java.time.Duration;

/**
 * The settings the topology reads, and nothing else: the topology is a pure function of these (no
 * sockets, no environment), so tests and the benchmark build it from a few values.
 *
 * @param incidentTtl       {@code validUntil} when an alert or a manual incident gives none
 * @param flapWindow        a re-fire this soon after resolve/expiry reopens the same incident
 * @param expiryInterval    how often each partition sweeps for due incidents
 * @param expiryMaxPerTick  incidents expired (and, separately, purged) per partition per sweep at most
 * @param incidentRetention how long a closed incident is kept before it is purged
 * @param indexedLabels     the label names the list index keeps values of
 * @param alertmanagerGroups one Alertmanager group (webhook {@code groupKey}) is one incident
 * @param rekeyJson         the re-key topic written as JSON rather than {@link io.incidentstream.store.AlertEventSerde}'s
 *                          binary form (read either way), for a rolling upgrade from a version that reads only JSON
 */
public record TopologySettings(
        Duration incidentTtl,
        Duration flapWindow,
        Duration expiryInterval,
        int expiryMaxPerTick,
        Duration incidentRetention,
        IndexedLabels indexedLabels,
        boolean alertmanagerGroups,
        boolean rekeyJson) {

    /** Without indexed labels. */
    public TopologySettings(
            final Duration incidentTtl,
            final Duration flapWindow,
            final Duration expiryInterval,
            final int expiryMaxPerTick,
            final Duration incidentRetention) {
        this(
                incidentTtl,
                flapWindow,
                expiryInterval,
                expiryMaxPerTick,
                incidentRetention,
                IndexedLabels.NONE,
                false,
                false);
    }

    public static TopologySettings of(final Config config) {
        return new TopologySettings(
                config.incidentTtl(),
                config.flapWindow(),
                config.expiryInterval(),
                config.expiryMaxPerTick(),
                config.incidentRetention(),
                IndexedLabels.of(config.indexedLabels()),
                config.alertmanagerGroups(),
                config.rekeyJson());
    }
}
