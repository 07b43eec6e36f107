package io.incidentstream.topology;

import io.incidentstream.metrics.HandledFailure;
import io.incidentstream.metrics.IncidentMetrics;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams exception handlers of this topology, as configuration: no input record, valid or
 * not, and no output record the topology makes may stop a stream thread. A record our code fails on,
 * an output record too large for Kafka, a record on an internal topic that cannot be read back: each
 * goes to {@link Topics#ALERTS_DLQ} with the reason in headers, is counted in {@code streams.dlq} and
 * logged, and processing continues. Failures of Kafka itself (a store, the producer, the broker)
 * still fail the thread, as before: skipping records would not fix them.
 */
public final class ErrorHandling {
    /** The {@link IncidentMetrics} the handlers count into (an object in the Streams configuration). */
    public static final String METRICS_CONFIG = "incident-stream.error-handling.metrics";

    private ErrorHandling() {}

    /** The handler settings, to put into the Kafka Streams properties (overrides may still replace them). */
    public static Map<String, Object> settings() {
        return Map.of(
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class,
                StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class,
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
    }

    /** What a handler counts into: the configured metrics, or nothing (the benchmark's bare properties). */
    static Counting counting(final Map<String, ?> configs) {
        final Object metrics = configs.get(METRICS_CONFIG);
        return metrics instanceof IncidentMetrics m ? m::handled : failure -> {};
    }

    /** Counts one handled failure. */
    @FunctionalInterface
    interface Counting {
        void count(HandledFailure failure);
    }
}
