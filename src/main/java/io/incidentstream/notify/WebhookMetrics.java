package io.incidentstream.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The deliverer's meters. No URL, tenant or subscription in any tag: those are unbounded and some
 * are secrets (Slack's webhook URLs are credentials).
 * <ul>
 *   <li>{@code webhook.deliveries{outcome}}: deliveries ended or handed on — delivered, retry
 *       (scheduled on the retry topic), spilled (queue full, to the retry topic), dropped (4xx),
 *       disabled (410), refused (address), exhausted (24 h of retries), suppressed, gone (subscription deleted or off)</li>
 *   <li>{@code webhook.attempts{result}}: HTTP attempts — success, retryable, failed</li>
 *   <li>{@code webhook.attempt.latency}: one attempt, connect to answer</li>
 *   <li>{@code webhook.queue.age}: how long a delivery waited in its subscription's queue</li>
 *   <li>{@code webhook.delivery.delay}: transition written to incident-events → receiver answered 2xx</li>
 *   <li>{@code webhook.queue.depth}: deliveries waiting in this instance's queues</li>
 * </ul>
 */
final class WebhookMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Counter> attempts = new ConcurrentHashMap<>();
    private final Timer latency;
    private final Timer queueAge;
    private final Timer delay;

    WebhookMetrics(final MeterRegistry registry, final Supplier<Number> queueDepth) {
        this.registry = registry;
        this.latency = Timer.builder("webhook.attempt.latency")
                .description("One webhook attempt, connect to answer")
                .publishPercentileHistogram()
                .register(registry);
        this.queueAge = Timer.builder("webhook.queue.age")
                .description("Time a delivery waited in its subscription's queue")
                .publishPercentileHistogram()
                .register(registry);
        this.delay = Timer.builder("webhook.delivery.delay")
                .description("Transition written to incident-events until the receiver acknowledged it")
                .publishPercentileHistogram()
                .register(registry);
        registry.gauge(
                "webhook.queue.depth",
                java.util.List.of(),
                queueDepth,
                s -> s.get().doubleValue());
    }

    void outcome(final String outcome) {
        outcomes.computeIfAbsent(
                        outcome,
                        o -> Counter.builder("webhook.deliveries")
                                .description("Webhook deliveries by how they ended or were handed on")
                                .tag("outcome", o)
                                .register(registry))
                .increment();
    }

    void attempt(final String result, final Duration took) {
        attempts.computeIfAbsent(
                        result,
                        r -> Counter.builder("webhook.attempts")
                                .description("Webhook HTTP attempts")
                                .tag("result", r)
                                .register(registry))
                .increment();
        latency.record(took);
    }

    void queued(final Duration waited) {
        queueAge.record(waited);
    }

    void delivered(final Duration sinceCommitted) {
        delay.record(sinceCommitted.isNegative() ? Duration.ZERO : sinceCommitted);
    }
}
