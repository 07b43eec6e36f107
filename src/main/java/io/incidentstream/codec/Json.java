package io.incidentstream.codec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;

/** The one Jackson configuration of the project: ISO-8601 UTC instants, no nulls, bounded nesting. */
public final class Json {
    /** Deepest nesting accepted in any JSON we read; deeper input is rejected, not recursed into. */
    public static final int MAX_NESTING = 64;

    private static final ObjectMapper MAPPER = create();

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static ObjectMapper create() {
        final ObjectMapper mapper = new ObjectMapper();
        mapper.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING)
                        .build());
        mapper.registerModule(new JavaTimeModule());
        // After JavaTimeModule, so it wins for Instant: the same text, without DateTimeFormatter.
        mapper.registerModule(new SimpleModule("iso-instants")
                .addSerializer(Instant.class, new IsoInstants.Serializer())
                .addDeserializer(Instant.class, new IsoInstants.Deserializer()));
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        // "{…}{…}" must be an error, not the first alert accepted and the second silently dropped.
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.setDefaultPropertyInclusion(
                JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL));
        return mapper;
    }
}
