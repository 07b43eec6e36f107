package io.incidentstream.model;

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
    // Field names pre-encoded: the generator copies their bytes instead of escaping each name on every write.
    private static final SerializedString ACKNOWLEDGED_AT = new SerializedString("acknowledgedAt");
    private static final SerializedString ACTOR = new SerializedString("actor");
    private static final SerializedString ALERT_COUNT = new SerializedString("alertCount");
    private static final SerializedString ALERT_ID = new SerializedString("alertId");
    private static final SerializedString ALERT_TEMPLATE_ID = new SerializedString("alertTemplateId");
    private static final SerializedString ALERT_VERSION = new SerializedString("alertVersion");
    private static final SerializedString ALERTS = new SerializedString("alerts");
    private static final SerializedString ASSIGNEE = new SerializedString("assignee");
    private static final SerializedString AT = new SerializedString("at");
    private static final SerializedString CREATED_AT = new SerializedString("createdAt");
    private static final SerializedString DESCRIPTION = new SerializedString("description");
    private static final SerializedString FIRST_SEEN = new SerializedString("firstSeen");
    private static final SerializedString FROM = new SerializedString("from");
    private static final SerializedString GROUP_KEY = new SerializedString("groupKey");
    private static final SerializedString GROUP_LABELS = new SerializedString("groupLabels");
    private static final SerializedString ID = new SerializedString("id");
    private static final SerializedString JOINED_BY = new SerializedString("joinedBy");
    private static final SerializedString LABELS = new SerializedString("labels");
    private static final SerializedString LAST_CHECKED_AT = new SerializedString("lastCheckedAt");
    private static final SerializedString LAST_JOINED_AT = new SerializedString("lastJoinedAt");
    private static final SerializedString MEMBER_COUNT = new SerializedString("memberCount");
    private static final SerializedString NOTE = new SerializedString("note");
    private static final SerializedString REPORT_DATA = new SerializedString("reportData");
    private static final SerializedString RESOLVED_AT = new SerializedString("resolvedAt");
    private static final SerializedString RULE_ID = new SerializedString("ruleId");
    private static final SerializedString SEVERITY = new SerializedString("severity");
    private static final SerializedString SOURCE = new SerializedString("source");
    private static final SerializedString STATUS = new SerializedString("status");
    private static final SerializedString TENANT_ID = new SerializedString("tenantId");
    private static final SerializedString TIMELINE = new SerializedString("timeline");
    private static final SerializedString TIMELINE_DROPPED = new SerializedString("timelineDropped");
    private static final SerializedString TITLE = new SerializedString("title");
    private static final SerializedString TO = new SerializedString("to");
    private static final SerializedString UPDATED_AT = new SerializedString("updatedAt");
    private static final SerializedString VALID_UNTIL = new SerializedString("validUntil");

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
