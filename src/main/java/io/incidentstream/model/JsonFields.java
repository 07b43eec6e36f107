package io.incidentstream.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;

/**
 * Fields for the hand-written serialisers ({@link IncidentJson}, {@link AlertEventJson}), named by
 * pre-encoded {@link SerializedString}s: the generator copies a name's bytes instead of escaping it
 * again on every write (a field name costs as much as a value to escape, and every incident written
 * to {@code incidents} has dozens).
 */
final class JsonFields {
    // The field names of both serialisers, pre-encoded.
    static final SerializedString ACKNOWLEDGED_AT = new SerializedString("acknowledgedAt");
    static final SerializedString ACTOR = new SerializedString("actor");
    static final SerializedString ALERTS = new SerializedString("alerts");
    static final SerializedString ALERT_COUNT = new SerializedString("alertCount");
    static final SerializedString ALERT_ID = new SerializedString("alertId");
    static final SerializedString ALERT_TEMPLATE_ID = new SerializedString("alertTemplateId");
    static final SerializedString ALERT_VERSION = new SerializedString("alertVersion");
    static final SerializedString ASSIGNEE = new SerializedString("assignee");
    static final SerializedString AT = new SerializedString("at");
    static final SerializedString CHECKED_AT = new SerializedString("checkedAt");
    static final SerializedString CREATED_AT = new SerializedString("createdAt");
    static final SerializedString DESCRIPTION = new SerializedString("description");
    static final SerializedString EVENT_ID = new SerializedString("eventId");
    static final SerializedString FIRST_SEEN = new SerializedString("firstSeen");
    static final SerializedString FROM = new SerializedString("from");
    static final SerializedString GROUP_KEY = new SerializedString("groupKey");
    static final SerializedString GROUP_LABELS = new SerializedString("groupLabels");
    static final SerializedString ID = new SerializedString("id");
    static final SerializedString JOINED_BY = new SerializedString("joinedBy");
    static final SerializedString LABELS = new SerializedString("labels");
    static final SerializedString LAST_CHECKED_AT = new SerializedString("lastCheckedAt");
    static final SerializedString LAST_JOINED_AT = new SerializedString("lastJoinedAt");
    static final SerializedString MEMBER_COUNT = new SerializedString("memberCount");
    static final SerializedString NOTE = new SerializedString("note");
    static final SerializedString REPORT_DATA = new SerializedString("reportData");
    static final SerializedString RESOLVED_AT = new SerializedString("resolvedAt");
    static final SerializedString RULE_ID = new SerializedString("ruleId");
    static final SerializedString SEVERITY = new SerializedString("severity");
    static final SerializedString SOURCE = new SerializedString("source");
    static final SerializedString STATUS = new SerializedString("status");
    static final SerializedString TENANT_ID = new SerializedString("tenantId");
    static final SerializedString TIMELINE = new SerializedString("timeline");
    static final SerializedString TIMELINE_DROPPED = new SerializedString("timelineDropped");
    static final SerializedString TITLE = new SerializedString("title");
    static final SerializedString TO = new SerializedString("to");
    static final SerializedString UPDATED_AT = new SerializedString("updatedAt");
    static final SerializedString VALID_UNTIL = new SerializedString("validUntil");

    private JsonFields() {}

    /** The field, or nothing when {@code value} is null (the mapper's {@code NON_NULL} inclusion). */
    static void string(final JsonGenerator gen, final SerializedString name, final String value) throws IOException {
        if (value != null) {
            field(gen, name, value);
        }
    }

    static void field(final JsonGenerator gen, final SerializedString name, final String value) throws IOException {
        gen.writeFieldName(name);
        gen.writeString(value);
    }

    static void number(final JsonGenerator gen, final SerializedString name, final long value) throws IOException {
        gen.writeFieldName(name);
        gen.writeNumber(value);
    }

    /** An int stays an int: a tree built from the writer ({@code valueToTree}) holds an int node, as Jackson's own. */
    static void number(final JsonGenerator gen, final SerializedString name, final int value) throws IOException {
        gen.writeFieldName(name);
        gen.writeNumber(value);
    }
}
