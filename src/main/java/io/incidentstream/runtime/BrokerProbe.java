package io.incidentstream.runtime;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Whether the Kafka cluster answers, for the health body and a gauge. Probes must be cheap and
 * must never hang on a dead broker (Kubernetes gives them a second), so a call never waits: it
 * answers from the last check and, when that is older than {@code maxAge}, starts a new one in the
 * background. At most one check is in flight; each is bounded by its own timeout.
 */
public final class BrokerProbe {

    /** What the last check found. */
    public enum Reachability {
        REACHABLE,
        UNREACHABLE,
        UNKNOWN;

        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Supplier<CompletionStage<?>> check;
    private final long maxAgeNanos;
    private final LongSupplier nanoTime;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private volatile Reachability last = Reachability.UNKNOWN;
    private volatile long checkedAt;

    /**
     * @param check starts one check; completes normally when the cluster answered, exceptionally otherwise
     */
    BrokerProbe(final Supplier<CompletionStage<?>> check, final Duration maxAge, final LongSupplier nanoTime) {
        this.check = check;
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoTime = nanoTime;
        this.checkedAt = nanoTime.getAsLong() - maxAgeNanos;
    }

    /** A probe by {@code describeCluster}, which any principal may call and which needs a live controller quorum. */
    public static BrokerProbe describeCluster(final Admin admin, final Duration timeout, final Duration maxAge) {
        final DescribeClusterOptions options = new DescribeClusterOptions().timeoutMs((int) timeout.toMillis());
        return new BrokerProbe(
                () -> admin.describeCluster(options).clusterId().toCompletionStage(), maxAge, System::nanoTime);
    }

    /** The last known reachability; starts a background re-check when it is stale. */
    public Reachability reachability() {
        if (nanoTime.getAsLong() - checkedAt >= maxAgeNanos) {
            refresh();
        }
        return last;
    }

    private void refresh() {
        if (!inFlight.compareAndSet(false, true)) {
            return;
        }
        try {
            check.get()
                    .whenComplete(
                            (ok, error) -> done(error == null ? Reachability.REACHABLE : Reachability.UNREACHABLE));
        } catch (RuntimeException e) {
            done(Reachability.UNREACHABLE);
        }
    }

    private void done(final Reachability result) {
        last = result;
        checkedAt = nanoTime.getAsLong();
        inFlight.set(false);
    }
}
