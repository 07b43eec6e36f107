package io.incidentstream.topology;

import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Refuses an output record that is too large while it is serialized, before the producer sees it.
 *
 * <p>Why here and not in a {@code ProductionExceptionHandler} alone: under exactly-once, a record the
 * producer refuses ({@code RecordTooLargeException}) puts its transaction in an abortable error, the
 * commit fails and the stream thread dies whatever the handler answers — and the restart replays the
 * same input into the same failure. An exception thrown by a serializer never reaches the producer:
 * Kafka Streams hands it to {@code handleSerializationError}, where {@link DeadLetterProductionHandler}
 * dead-letters a small record and the thread goes on. The model keeps incidents far below these
 * limits ({@link io.incidentstream.model.Bounds}); this is the net under it, for every sink.
 *
 * <p>Limits: a key of {@link #MAX_KEY_BYTES}, a value with its headers of {@link #MAX_VALUE_BYTES};
 * together they stay below Kafka's default {@code max.request.size} and {@code max.message.bytes}
 * (1 MiB) with room for the record's overhead. Topics and producers must accept at least that.
 */
final class RecordSizeGuard {
    static final int MAX_KEY_BYTES = 256 * 1024;
    static final int MAX_VALUE_BYTES = 512 * 1024;

    private RecordSizeGuard() {}

    static <T> Serde<T> keys(final Serde<T> serde) {
        return Serdes.serdeFrom(guard(serde.serializer(), MAX_KEY_BYTES, false), serde.deserializer());
    }

    static <T> Serde<T> values(final Serde<T> serde) {
        return Serdes.serdeFrom(guard(serde.serializer(), MAX_VALUE_BYTES, true), serde.deserializer());
    }

    static <T> Serializer<T> guard(final Serializer<T> inner, final int maxBytes, final boolean countHeaders) {
        return new Serializer<>() {
            @Override
            public byte[] serialize(final String topic, final T data) {
                return check(topic, null, inner.serialize(topic, data));
            }

            @Override
            public byte[] serialize(final String topic, final Headers headers, final T data) {
                return check(topic, headers, inner.serialize(topic, headers, data));
            }

            private byte[] check(final String topic, final Headers headers, final byte[] bytes) {
                final long size = (bytes == null ? 0L : bytes.length)
                        + (countHeaders && headers != null ? DeadLetters.size(headers) : 0);
                if (size > maxBytes) {
                    throw new RecordTooLargeException("a " + (countHeaders ? "value with its headers" : "key")
                            + " of " + size + " bytes for " + topic + ", more than the " + maxBytes
                            + " every output record is held to");
                }
                return bytes;
            }
        };
    }
}
