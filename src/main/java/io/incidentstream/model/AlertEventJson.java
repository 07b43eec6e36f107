package io.incidentstream.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;

/**
 * Writes an {@link AlertEvent} as JSON field by field, exactly as Jackson's record serialiser does
 * with the project's mapper (the same fields in the same order, nulls left out; {@code
 * AlertEventJsonTest} compares the two), without its reflection and per-property machinery. HTTP
 * ingest serialises every accepted alert once, as it is produced to {@code alerts}, and the generic
 * serialiser was the largest single cost of a request thread in the peer benchmark's profile.
 * Instants and {@code reportData} still go through the mapper's own serialisers, so their text
 * cannot drift.
 */
final class AlertEventJson extends StdSerializer<AlertEvent> {
    private static final long serialVersionUID = 1L;

    AlertEventJson() {
        super(AlertEvent.class);
    }

    @Override
    public void serialize(final AlertEvent a, final JsonGenerator gen, final SerializerProvider provider)
            throws IOException {
        final JsonSerializer<Object> instants = provider.findValueSerializer(Instant.class);
        gen.writeStartObject(a);
        gen.writeStringField("alertId", a.alertId());
        gen.writeNumberField("alertVersion", a.alertVersion());
        string(gen, "alertTemplateId", a.alertTemplateId());
        gen.writeStringField("tenantId", a.tenantId());
        gen.writeStringField("status", a.status().json());
        gen.writeStringField("severity", a.severity().json());
        string(gen, "title", a.title());
        string(gen, "description", a.description());
        gen.writeFieldName("checkedAt");
        instants.serialize(a.checkedAt(), gen, provider);
        gen.writeFieldName("validUntil");
        instants.serialize(a.validUntil(), gen, provider);
        if (a.reportData() != null) {
            gen.writeFieldName("reportData");
            provider.defaultSerializeValue(a.reportData(), gen);
        }
        gen.writeObjectFieldStart("labels");
        for (Map.Entry<String, String> e : a.labels().entrySet()) {
            gen.writeStringField(e.getKey(), e.getValue());
        }
        gen.writeEndObject();
        string(gen, "eventId", a.eventId());
        gen.writeEndObject();
    }

    private static void string(final JsonGenerator gen, final String name, final String value) throws IOException {
        if (value != null) {
            gen.writeStringField(name, value);
        }
    }
}
