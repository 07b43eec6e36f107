package io.incidentstream.codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON serde for our own records on internal topics and in stores. Only data we wrote ourselves is
 * read with it: untrusted input goes through {@link AlertDecoder}, which never throws on bad bytes.
 */
public final class JsonSerde {
    private JsonSerde() {}

    public static <T> Serde<T> of(final Class<T> type) {
        final Serializer<T> serializer = (topic, value) -> {
            if (value == null) {
                return null;
            }
            try {
                return Json.mapper().writeValueAsBytes(value);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serialise " + type.getSimpleName(), e);
            }
        };
        final Deserializer<T> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return Json.mapper().readValue(bytes, type);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + type.getSimpleName() + " from " + topic, e);
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
