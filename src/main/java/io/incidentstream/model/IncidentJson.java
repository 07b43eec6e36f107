package io.incidentstream.model;

import static io.incidentstream.model.JsonFields.ACKNOWLEDGED_AT;
import static io.incidentstream.model.JsonFields.ACTOR;
import static io.incidentstream.model.JsonFields.ALERTS;
import static io.incidentstream.model.JsonFields.ALERT_COUNT;
import static io.incidentstream.model.JsonFields.ALERT_ID;
import static io.incidentstream.model.JsonFields.ALERT_TEMPLATE_ID;
import static io.incidentstream.model.JsonFields.ALERT_VERSION;
import static io.incidentstream.model.JsonFields.ASSIGNEE;
import static io.incidentstream.model.JsonFields.AT;
import static io.incidentstream.model.JsonFields.CREATED_AT;
import static io.incidentstream.model.JsonFields.DESCRIPTION;
import static io.incidentstream.model.JsonFields.FIRST_SEEN;
import static io.incidentstream.model.JsonFields.FROM;
import static io.incidentstream.model.JsonFields.GROUP_KEY;
import static io.incidentstream.model.JsonFields.GROUP_LABELS;
import static io.incidentstream.model.JsonFields.ID;
import static io.incidentstream.model.JsonFields.JOINED_BY;
import static io.incidentstream.model.JsonFields.LABELS;
import static io.incidentstream.model.JsonFields.LAST_CHECKED_AT;
import static io.incidentstream.model.JsonFields.LAST_JOINED_AT;
import static io.incidentstream.model.JsonFields.MEMBER_COUNT;
import static io.incidentstream.model.JsonFields.NOTE;
import static io.incidentstream.model.JsonFields.REPORT_DATA;
import static io.incidentstream.model.JsonFields.RESOLVED_AT;
import static io.incidentstream.model.JsonFields.RULE_ID;
import static io.incidentstream.model.JsonFields.SEVERITY;
import static io.incidentstream.model.JsonFields.SOURCE;
import static io.incidentstream.model.JsonFields.STATUS;
import static io.incidentstream.model.JsonFields.TENANT_ID;
import static io.incidentstream.model.JsonFields.TIMELINE;
import static io.incidentstream.model.JsonFields.TIMELINE_DROPPED;
import static io.incidentstream.model.JsonFields.TITLE;
import static io.incidentstream.model.JsonFields.TO;
import static io.incidentstream.model.JsonFields.UPDATED_AT;
import static io.incidentstream.model.JsonFields.VALID_UNTIL;
import static io.incidentstream.model.JsonFields.field;
import static io.incidentstream.model.JsonFields.number;
import static io.incidentstream.model.JsonFields.string;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
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
        field(gen, ID, i.id());
        field(gen, TENANT_ID, i.tenantId());
        string(gen, ALERT_ID, i.alertId());
        number(gen, ALERT_VERSION, i.alertVersion());
        string(gen, ALERT_TEMPLATE_ID, i.alertTemplateId());
        field(gen, STATUS, i.status().json());
        if (i.severity() != null) {
            field(gen, SEVERITY, i.severity().json());
        }
        string(gen, TITLE, i.title());
        string(gen, DESCRIPTION, i.description());
        if (i.source() != null) {
            field(gen, SOURCE, i.source().json());
        }
        time(gen, provider, instants, CREATED_AT, i.createdAt());
        time(gen, provider, instants, UPDATED_AT, i.updatedAt());
        time(gen, provider, instants, LAST_CHECKED_AT, i.lastCheckedAt());
        time(gen, provider, instants, VALID_UNTIL, i.validUntil());
        time(gen, provider, instants, ACKNOWLEDGED_AT, i.acknowledgedAt());
        time(gen, provider, instants, RESOLVED_AT, i.resolvedAt());
        string(gen, ASSIGNEE, i.assignee());
        number(gen, ALERT_COUNT, i.alertCount());
        if (i.reportData() != null) {
            gen.writeFieldName(REPORT_DATA);
            provider.defaultSerializeValue(i.reportData(), gen);
        }
        labels(gen, LABELS, i.labels());
        if (!i.timeline().isEmpty()) {
            gen.writeFieldName(TIMELINE);
            gen.writeStartArray();
            for (TimelineEntry t : i.timeline()) {
                entry(gen, provider, instants, t);
            }
            gen.writeEndArray();
        }
        if (i.timelineDropped() != 0) {
            number(gen, TIMELINE_DROPPED, i.timelineDropped());
        }
        string(gen, GROUP_KEY, i.groupKey());
        labels(gen, GROUP_LABELS, i.groupLabels());
        string(gen, RULE_ID, i.ruleId());
        if (i.memberCount() != null) {
            number(gen, MEMBER_COUNT, i.memberCount().longValue());
        }
        time(gen, provider, instants, LAST_JOINED_AT, i.lastJoinedAt());
        final List<MemberAlert> alerts = i.alerts();
        if (alerts != null) {
            gen.writeFieldName(ALERTS);
            gen.writeStartArray();
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
        time(gen, provider, instants, AT, t.at());
        if (t.from() != null) {
            field(gen, FROM, t.from().json());
        }
        if (t.to() != null) {
            field(gen, TO, t.to().json());
        }
        string(gen, SOURCE, t.source());
        string(gen, ACTOR, t.actor());
        string(gen, NOTE, t.note());
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
        field(gen, ALERT_ID, m.alertId());
        field(gen, STATUS, m.status().name());
        if (m.severity() != null) {
            field(gen, SEVERITY, m.severity().json());
        }
        labels(gen, LABELS, m.labels());
        time(gen, provider, instants, FIRST_SEEN, m.firstSeen());
        time(gen, provider, instants, LAST_CHECKED_AT, m.lastCheckedAt());
        time(gen, provider, instants, VALID_UNTIL, m.validUntil());
        string(gen, JOINED_BY, m.joinedBy());
        gen.writeEndObject();
    }

    private static void time(
            final JsonGenerator gen,
            final SerializerProvider provider,
            final JsonSerializer<Object> instants,
            final SerializedString name,
            final Instant value)
            throws IOException {
        if (value != null) {
            gen.writeFieldName(name);
            instants.serialize(value, gen, provider);
        }
    }

    /** A label map; entries with a null value are left out, as the mapper's content inclusion does. */
    private static void labels(final JsonGenerator gen, final SerializedString name, final Map<String, String> labels)
            throws IOException {
        if (labels == null) {
            return;
        }
        gen.writeFieldName(name);
        gen.writeStartObject();
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (e.getValue() != null) {
                gen.writeStringField(e.getKey(), e.getValue());
            }
        }
        gen.writeEndObject();
    }
}
