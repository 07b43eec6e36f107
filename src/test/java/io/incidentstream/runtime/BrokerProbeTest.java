package io.incidentstream.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.incidentstream.runtime.BrokerProbe.Reachability;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The probe answers at once from its last check and re-checks in the background, one check at a time. */
class BrokerProbeTest {
    private final AtomicLong now = new AtomicLong(0);
    private final List<CompletableFuture<Object>> checks = new ArrayList<>();
    private final BrokerProbe probe = new BrokerProbe(this::check, Duration.ofSeconds(5), now::get);

    private CompletionStage<?> check() {
        final CompletableFuture<Object> f = new CompletableFuture<>();
        checks.add(f);
        return f;
    }

    @Test
    void shouldAnswerUnknownWithoutWaitingThenTheResult() {
        assertEquals(Reachability.UNKNOWN, probe.reachability());
        assertEquals(1, checks.size(), "the first call starts a check");
        assertEquals(Reachability.UNKNOWN, probe.reachability());
        assertEquals(1, checks.size(), "never two checks in flight");
        checks.get(0).complete("cluster-id");
        assertEquals(Reachability.REACHABLE, probe.reachability());
    }

    @Test
    void shouldCacheForMaxAgeThenRecheck() {
        probe.reachability();
        checks.get(0).complete("id");
        now.addAndGet(Duration.ofSeconds(4).toNanos());
        assertEquals(Reachability.REACHABLE, probe.reachability());
        assertEquals(1, checks.size(), "fresh enough: no new check");
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals(Reachability.REACHABLE, probe.reachability(), "stale: the last answer while re-checking");
        assertEquals(2, checks.size());
        checks.get(1).completeExceptionally(new org.apache.kafka.common.errors.TimeoutException("no broker"));
        assertEquals(Reachability.UNREACHABLE, probe.reachability());
    }

    @Test
    void shouldCountAFailureToStartACheckAsUnreachable() {
        final BrokerProbe failing = new BrokerProbe(
                () -> {
                    throw new IllegalStateException("admin closed");
                },
                Duration.ofSeconds(5),
                now::get);
        failing.reachability();
        assertEquals(Reachability.UNREACHABLE, failing.reachability());
    }
}
