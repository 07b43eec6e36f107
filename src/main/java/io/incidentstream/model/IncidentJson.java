package io.incidentstream.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes an {@link Incident} as JSON field by field, exactly as Jackson's record serialiser does with
 * the project's mapper (the same fields in the same order, nulls left out, {@code timeline} left out
 * when empty, {@code timelineDropped} when 0; {@code IncidentJsonTest} compares the two), without its
 * reflection and per-property machinery. The fold writes every incident it changes to the
 * {@code incidents} topic as JSON, and the generic serialiser was the largest single cost of the
 * stream thread after decoding in the benchmark's profile. Member alerts are written field by field
 * too (a grouped incident is rewritten with all of them on every member's event); instants and
 * {@code reportData} still go through the mapper's own serialisers, so their text cannot drift.
 */
final class IncidentJson extends StdSerializer<Incident> {
    private static final long serialVersionUID = 1L;

    IncidentJson() {
        super(Incident.class);
    }

    @Override
    public void serialize(final Incident i, final JsonGenerator gen, final SerializerProvider provider)
            throws IOException {
        final JsonSerializer<Object> instants = provider.findValueSerializer(Instant.class);
        gen.writeStartObject(i);
        gen.writeStringField("id", i.id());
        gen.writeStringField("tenantId", i.tenantId());
        string(gen, "alertId", i.alertId());
        gen.writeNumberField("alertVersion", i.alertVersion());
        string(gen, "alertTemplateId", i.alertTemplateId());
        gen.writeStringField("status", i.status().json());
        if (i.severity() != null) {
            gen.writeStringField("severity", i.severity().json());
        }
        string(gen, "title", i.title());
        string(gen, "description", i.description());
        if (i.source() != null) {
            gen.writeStringField("source", i.source().json());
        }
        time(gen, provider, instants, "createdAt", i.createdAt());
        time(gen, provider, instants, "updatedAt", i.updatedAt());
        time(gen, provider, instants, "lastCheckedAt", i.lastCheckedAt());
        time(gen, provider, instants, "validUntil", i.validUntil());
        time(gen, provider, instants, "acknowledgedAt", i.acknowledgedAt());
        time(gen, provider, instants, "resolvedAt", i.resolvedAt());
        string(gen, "assignee", i.assignee());
        gen.writeNumberField("alertCount", i.alertCount());
        if (i.reportData() != null) {
            gen.writeFieldName("reportData");
            provider.defaultSerializeValue(i.reportData(), gen);
        }
        labels(gen, "labels", i.labels());
        if (!i.timeline().isEmpty()) {
            gen.writeArrayFieldStart("timeline");
            for (TimelineEntry t : i.timeline()) {
                entry(gen, provider, instants, t);
            }
            gen.writeEndArray();
        }
        if (i.timelineDropped() != 0) {
            gen.writeNumberField("timelineDropped", i.timelineDropped());
        }
        string(gen, "groupKey", i.groupKey());
        labels(gen, "groupLabels", i.groupLabels());
        string(gen, "ruleId", i.ruleId());
        if (i.memberCount() != null) {
            gen.writeNumberField("memberCount", i.memberCount().longValue());
        }
        time(gen, provider, instants, "lastJoinedAt", i.lastJoinedAt());
        final List<MemberAlert> alerts = i.alerts();
        if (alerts != null) {
            gen.writeArrayFieldStart("alerts");
            for (MemberAlert m : alerts) {
                member(gen, provider, instants, m);
            }
            gen.writeEndArray();
        }
        gen.writeEndObject();
    }

    private static void entry(
            final JsonGenerator gen,
            final SerializerProvider provider,
            final JsonSerializer<Object> instants,
            final TimelineEntry t)
            throws IOException {
        gen.writeStartObject(t);
        time(gen, provider, instants, "at", t.at());
        if (t.from() != null) {
            gen.writeStringField("from", t.from().json());
        }
        if (t.to() != null) {
            gen.writeStringField("to", t.to().json());
        }
        string(gen, "source", t.source());
        string(gen, "actor", t.actor());
        string(gen, "note", t.note());
        gen.writeEndObject();
    }

    /** A member alert; its state is written by name, as the record serialiser writes an enum without a JSON value. */
    private static void member(
            final JsonGenerator gen,
            final SerializerProvider provider,
            final JsonSerializer<Object> instants,
            final MemberAlert m)
            throws IOException {
        gen.writeStartObject(m);
        gen.writeStringField("alertId", m.alertId());
        gen.writeStringField("status", m.status().name());
        if (m.severity() != null) {
            gen.writeStringField("severity", m.severity().json());
        }
        labels(gen, "labels", m.labels());
        time(gen, provider, instants, "firstSeen", m.firstSeen());
        time(gen, provider, instants, "lastCheckedAt", m.lastCheckedAt());
        time(gen, provider, instants, "validUntil", m.validUntil());
        string(gen, "joinedBy", m.joinedBy());
        gen.writeEndObject();
    }

    private static void string(final JsonGenerator gen, final String name, final String value) throws IOException {
        if (value != null) {
            gen.writeStringField(name, value);
        }
    }

    private static void time(
            final JsonGenerator gen,
            final SerializerProvider provider,
            final JsonSerializer<Object> instants,
            final String name,
            final Instant value)
            throws IOException {
        if (value != null) {
            gen.writeFieldName(name);
            instants.serialize(value, gen, provider);
        }
    }

    /** A label map; entries with a null value are left out, as the mapper's content inclusion does. */
    private static void labels(final JsonGenerator gen, final String name, final Map<String, String> labels)
            throws IOException {
        if (labels == null) {
            return;
        }
        gen.writeObjectFieldStart(name);
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (e.getValue() != null) {
                gen.writeStringField(e.getKey(), e.getValue());
            }
        }
        gen.writeEndObject();
    }
}
