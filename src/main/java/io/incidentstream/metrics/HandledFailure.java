package io.incidentstream.metrics;

import java.util.Locale;

/**
 * Why one of Kafka Streams' exception handlers sent a record to the dead-letter topic instead of
 * stopping the stream thread: the {@code reason} of {@code streams.dlq} and of the record's
 * {@code dlq.reason} header. A small closed set, so the metric's cardinality stays fixed.
 */
public enum HandledFailure {
    /** An output record over the size every topic accepts, refused before it reached the producer. */
    RECORD_TOO_LARGE,
    /** An output record whose serializer failed. */
    NOT_SERIALIZABLE,
    /** A record the producer or the broker refused (e.g. over a topic's {@code max.message.bytes}). */
    PRODUCTION_ERROR,
    /** An input record on which our processing code threw. */
    PROCESSING_ERROR,
    /** An input record on an internal topic that could not be read back. */
    NOT_DESERIALIZABLE;

    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
