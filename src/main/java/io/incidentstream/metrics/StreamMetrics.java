package io.incidentstream.metrics;

import io.incidentstream.query.FanOut;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The live stream's meters, read from its {@link FanOut}: {@code incidents_stream_clients} (connected
 * now), {@code incidents_stream_events_sent_total} and {@code incidents_stream_clients_dropped_total}
 * (clients disconnected because they fell behind by a whole queue).
 */
public final class StreamMetrics {
    private StreamMetrics() {}

    public static void bind(final MeterRegistry registry, final FanOut fanOut) {
        Gauge.builder("incidents.stream.clients", fanOut, FanOut::clients)
                .description("live-stream (SSE) clients connected to this instance")
                .register(registry);
        FunctionCounter.builder("incidents.stream.events.sent", fanOut, FanOut::sent)
                .description("events written to live-stream clients")
                .register(registry);
        FunctionCounter.builder("incidents.stream.clients.dropped", fanOut, FanOut::droppedSlow)
                .description("live-stream clients disconnected because their queue was full")
                .tag("reason", "slow")
                .register(registry);
    }
}
