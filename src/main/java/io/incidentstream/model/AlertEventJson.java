package io.incidentstream.model;

import static io.incidentstream.model.JsonFields.ALERT_ID;
import static io.incidentstream.model.JsonFields.ALERT_TEMPLATE_ID;
import static io.incidentstream.model.JsonFields.ALERT_VERSION;
import static io.incidentstream.model.JsonFields.CHECKED_AT;
import static io.incidentstream.model.JsonFields.DESCRIPTION;
import static io.incidentstream.model.JsonFields.EVENT_ID;
import static io.incidentstream.model.JsonFields.LABELS;
import static io.incidentstream.model.JsonFields.REPORT_DATA;
import static io.incidentstream.model.JsonFields.SEVERITY;
import static io.incidentstream.model.JsonFields.STATUS;
import static io.incidentstream.model.JsonFields.TENANT_ID;
import static io.incidentstream.model.JsonFields.TITLE;
import static io.incidentstream.model.JsonFields.VALID_UNTIL;
import static io.incidentstream.model.JsonFields.field;
import static io.incidentstream.model.JsonFields.number;
import static io.incidentstream.model.JsonFields.string;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes an {@link AlertEvent} as JSON field by field, exactly as Jackson's record serialiser does
 * with the project's mapper (the same fields in the same order, nulls left out; {@code
 * AlertEventJsonTest} compares the two), without its reflection and per-property machinery. HTTP
 * ingest serialises every accepted alert once, as it is produced to {@code alerts}, and the generic
 * serialiser was the largest single cost of a request thread in the peer benchmark's profile.
 * Instants and {@code reportData} still go through the mapper's own serialisers, so their text
 * cannot drift.
 *
 * <p>{@link Reader} is the way back, for the same reason: the re-key topic is read by every grouped
 * and ungrouped event, and Jackson's record deserialiser (property buffering, creator lookup) was
 * the largest single cost of the grouped stream thread. It reads what this class writes; fields it
 * does not know are skipped, as the mapper does.
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
        field(gen, ALERT_ID, a.alertId());
        number(gen, ALERT_VERSION, a.alertVersion());
        string(gen, ALERT_TEMPLATE_ID, a.alertTemplateId());
        field(gen, TENANT_ID, a.tenantId());
        field(gen, STATUS, a.status().json());
        field(gen, SEVERITY, a.severity().json());
        string(gen, TITLE, a.title());
        string(gen, DESCRIPTION, a.description());
        gen.writeFieldName(CHECKED_AT);
        instants.serialize(a.checkedAt(), gen, provider);
        gen.writeFieldName(VALID_UNTIL);
        instants.serialize(a.validUntil(), gen, provider);
        if (a.reportData() != null) {
            gen.writeFieldName(REPORT_DATA);
            provider.defaultSerializeValue(a.reportData(), gen);
        }
        gen.writeFieldName(LABELS);
        gen.writeStartObject();
        for (Map.Entry<String, String> e : a.labels().entrySet()) {
            gen.writeStringField(e.getKey(), e.getValue());
        }
        gen.writeEndObject();
        string(gen, EVENT_ID, a.eventId());
        gen.writeEndObject();
    }

    /**
     * Reads an {@link AlertEvent} token by token. Instants and {@code reportData} go through the mapper's
     * readers, so what is accepted and the errors are the mapper's. A record the constructor refuses
     * fails as a mapping error.
     */
    static final class Reader extends StdDeserializer<AlertEvent> {
        private static final long serialVersionUID = 1L;

        Reader() {
            super(AlertEvent.class);
        }

        @Override
        public AlertEvent deserialize(final JsonParser p, final DeserializationContext ctxt) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.START_OBJECT) {
                t = p.nextToken();
            } else if (t != JsonToken.FIELD_NAME && t != JsonToken.END_OBJECT) {
                return (AlertEvent) ctxt.handleUnexpectedToken(AlertEvent.class, p);
            }
            String alertId = null;
            int alertVersion = 0;
            String alertTemplateId = null;
            String tenantId = null;
            AlertStatus status = null;
            Severity severity = null;
            String title = null;
            String description = null;
            Instant checkedAt = null;
            Instant validUntil = null;
            JsonNode reportData = null;
            Map<String, String> labels = null;
            String eventId = null;
            for (; t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                final String name = p.currentName();
                final JsonToken value = p.nextToken();
                switch (name) {
                    case "alertId" -> alertId = text(p, ctxt);
                    case "alertVersion" ->
                        alertVersion =
                                value == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : ctxt.readValue(p, int.class);
                    case "alertTemplateId" -> alertTemplateId = text(p, ctxt);
                    case "tenantId" -> tenantId = text(p, ctxt);
                    case "status" -> status = constant(p, ctxt, AlertStatus.class, AlertStatus::parse);
                    case "severity" -> severity = constant(p, ctxt, Severity.class, Severity::parse);
                    case "title" -> title = text(p, ctxt);
                    case "description" -> description = text(p, ctxt);
                    case "checkedAt" -> checkedAt = instant(p, ctxt);
                    case "validUntil" -> validUntil = instant(p, ctxt);
                    case "reportData" -> reportData = ctxt.readTree(p);
                    case "labels" -> labels = labels(p, ctxt);
                    case "eventId" -> eventId = text(p, ctxt);
                    default -> p.skipChildren();
                }
            }
            try {
                return new AlertEvent(
                        alertId,
                        alertVersion,
                        alertTemplateId,
                        tenantId,
                        status,
                        severity,
                        title,
                        description,
                        checkedAt,
                        validUntil,
                        reportData,
                        labels,
                        eventId);
            } catch (RuntimeException e) {
                throw ctxt.instantiationException(AlertEvent.class, e);
            }
        }

        private static String text(final JsonParser p, final DeserializationContext ctxt) throws IOException {
            final JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_STRING) {
                return p.getText();
            } else if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            return ctxt.readValue(p, String.class);
        }

        private static <E> E constant(
                final JsonParser p,
                final DeserializationContext ctxt,
                final Class<E> type,
                final Function<String, E> parse)
                throws IOException {
            final String text = text(p, ctxt);
            if (text == null) {
                return null;
            }
            try {
                return parse.apply(text);
            } catch (IllegalArgumentException e) {
                throw ctxt.weirdStringException(text, type, e.getMessage());
            }
        }

        private static Instant instant(final JsonParser p, final DeserializationContext ctxt) throws IOException {
            final JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            // the mapper's instant reader takes the strict ISO form on a fast path (IsoInstants)
            return ctxt.readValue(p, Instant.class);
        }

        private static Map<String, String> labels(final JsonParser p, final DeserializationContext ctxt)
                throws IOException {
            final JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            if (t != JsonToken.START_OBJECT) {
                @SuppressWarnings("unchecked")
                final Map<String, String> other = (Map<String, String>) ctxt.handleUnexpectedToken(Map.class, p);
                return other;
            }
            final Map<String, String> labels = new LinkedHashMap<>();
            for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken()) {
                final String key = p.currentName();
                p.nextToken();
                labels.put(key, text(p, ctxt));
            }
            return labels;
        }
    }
}
