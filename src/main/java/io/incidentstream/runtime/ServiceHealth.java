package io.incidentstream.runtime;

import io.incidentstream.errors.UnavailableException;
import io.incidentstream.http.Health;
import io.incidentstream.store.PartitionStores;
import io.incidentstream.store.StoreAccess;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * Liveness and readiness of one instance, and the small body both endpoints return:
 * {@code {"status", "streams", "storesQueryable", "partitions", "broker", "standbyLag"}}.
 *
 * <ul>
 *   <li>Live unless Kafka Streams is in (or heading for) ERROR or stopped: only a restart helps then.</li>
 *   <li>Ready when Streams is RUNNING and every active partition's store answers a cheap probe
 *       ({@code approximateNumEntries}, a RocksDB property read): then queries get answers, not 503s.</li>
 *   <li>The broker's reachability is reported but does not gate readiness: every instance shares
 *       the cluster, so failing readiness on it would take all instances out of the load balancer at
 *       once, though they can still serve reads from their stores. Alert on it instead.</li>
 * </ul>
 */
public final class ServiceHealth implements Health, MeterBinder {
    private final Supplier<KafkaStreams.State> streams;
    private final StoreAccess stores;
    private final BrokerProbe broker;

    public ServiceHealth(
            final Supplier<KafkaStreams.State> streams, final StoreAccess stores, final BrokerProbe broker) {
        this.streams = streams;
        this.stores = stores;
        this.broker = broker;
    }

    @Override
    public boolean live() {
        final KafkaStreams.State state = streams.get();
        return state != KafkaStreams.State.ERROR
                && state != KafkaStreams.State.PENDING_ERROR
                && state != KafkaStreams.State.NOT_RUNNING;
    }

    @Override
    public boolean ready() {
        return streams.get() == KafkaStreams.State.RUNNING && queryablePartitions() >= 0;
    }

    @Override
    public Map<String, Object> details() {
        final Map<String, Object> details = new LinkedHashMap<>();
        details.put("streams", streams.get().name());
        final int partitions = queryablePartitions();
        details.put("storesQueryable", partitions >= 0);
        if (partitions >= 0) {
            details.put("partitions", partitions);
        }
        details.put("broker", broker.reachability().json());
        details.put("standbyLag", standbyLag());
        return details;
    }

    /**
     * The largest changelog lag of this instance's standby copies, in records: how stale a list or get
     * it serves for a partition whose active is away would be (-1 when unknown right now).
     */
    private long standbyLag() {
        try {
            return stores.standbyLag();
        } catch (UnavailableException | InvalidStateStoreException e) {
            return -1;
        }
    }

    /** The number of active partitions whose stores answer, or -1 when any does not (or Streams is not RUNNING). */
    private int queryablePartitions() {
        try {
            final List<PartitionStores> active = stores.activePartitions();
            for (PartitionStores partition : active) {
                partition.approximateIncidentCount();
            }
            return active.size();
        } catch (UnavailableException | InvalidStateStoreException e) {
            return -1;
        }
    }

    /** {@code health.live}, {@code health.ready}, {@code health.broker.reachable} (1 or 0; NaN before the first check). */
    @Override
    public void bindTo(final MeterRegistry registry) {
        Gauge.builder("health.live", this, h -> h.live() ? 1 : 0)
                .description("1 while the instance is live")
                .register(registry);
        Gauge.builder("health.ready", this, h -> h.ready() ? 1 : 0)
                .description("1 while the instance is ready to serve queries")
                .register(registry);
        Gauge.builder("health.broker.reachable", broker, b -> switch (b.reachability()) {
                    case REACHABLE -> 1;
                    case UNREACHABLE -> 0;
                    case UNKNOWN -> Double.NaN;
                })
                .description("1 if the Kafka cluster answered the last describeCluster, checked every few seconds")
                .register(registry);
    }
}
