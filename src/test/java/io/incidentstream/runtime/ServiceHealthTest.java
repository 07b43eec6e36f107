package io.incidentstream.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.errors.UnavailableException;
import io.incidentstream.model.Incident;
import io.incidentstream.store.PartitionStores;
import io.incidentstream.store.StoreAccess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;

/** Liveness, readiness and the health body from the streams state, a store probe and the broker probe. */
class ServiceHealthTest {
    private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);
    private volatile RuntimeException storeFailure;
    private final StoreAccess stores = new StoreAccess() {
        @Override
        public List<PartitionStores> activePartitions() {
            if (state.get() != State.RUNNING) {
                throw new UnavailableException("not running", Duration.ofSeconds(1));
            }
            return List.of(
                    new PartitionStores(0, new ProbedStore(), null, null),
                    new PartitionStores(3, new ProbedStore(), null, null));
        }

        @Override
        public Optional<PartitionStores> partition(final int partition) {
            return Optional.empty();
        }

        @Override
        public int partitionCount() {
            return 6;
        }
    };
    private final BrokerProbe broker =
            new BrokerProbe(() -> CompletableFuture.completedFuture("id"), Duration.ofSeconds(5), System::nanoTime);
    private final ServiceHealth health = new ServiceHealth(state::get, stores, broker);

    /** A store whose only probed call fails when told to, as a store closed mid-rebalance does. */
    private final class ProbedStore implements ReadOnlyKeyValueStore<String, Incident> {
        @Override
        public long approximateNumEntries() {
            if (storeFailure != null) {
                throw storeFailure;
            }
            return 0;
        }

        @Override
        public Incident get(final String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public KeyValueIterator<String, Incident> range(final String from, final String to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public KeyValueIterator<String, Incident> all() {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void shouldBeLiveAndReadyWhenRunningWithQueryableStores() {
        broker.reachability();
        assertTrue(health.live());
        assertTrue(health.ready());
        assertEquals(
                Map.of(
                        "streams",
                        "RUNNING",
                        "storesQueryable",
                        true,
                        "partitions",
                        2,
                        "broker",
                        "reachable",
                        "standbyLag",
                        0L),
                health.details());
    }

    @Test
    void shouldBeLiveButNotReadyWhileRebalancing() {
        state.set(State.REBALANCING);
        assertTrue(health.live());
        assertFalse(health.ready());
        assertEquals(false, health.details().get("storesQueryable"));
        assertFalse(health.details().containsKey("partitions"));
    }

    @Test
    void shouldNotBeReadyWhenAStoreDoesNotAnswer() {
        storeFailure = new InvalidStateStoreException("migrated");
        assertFalse(health.ready());
        assertTrue(health.live());
    }

    @Test
    void shouldBeNeitherLiveNorReadyInError() {
        for (State s : new State[] {State.ERROR, State.PENDING_ERROR, State.NOT_RUNNING}) {
            state.set(s);
            assertFalse(health.live(), s.name());
            assertFalse(health.ready(), s.name());
        }
    }

    @Test
    void shouldExposeHealthAsGauges() {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        health.bindTo(registry);
        broker.reachability();
        assertEquals(1.0, registry.get("health.ready").gauge().value());
        assertEquals(1.0, registry.get("health.live").gauge().value());
        assertEquals(1.0, registry.get("health.broker.reachable").gauge().value());
        state.set(State.REBALANCING);
        assertEquals(0.0, registry.get("health.ready").gauge().value());
    }
}
