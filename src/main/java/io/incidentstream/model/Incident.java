package io.incidentstream.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The state of one incident: seed 000's fields ({@code id}, {@code alertId}, {@code alertVersion},
 * {@code alertTemplateId}, {@code validUntil}, {@code reportData}, {@code status},
 * {@code lastCheckedAt}, {@code createdAt}, {@code updatedAt}) plus DESIGN.md's extras. Immutable;
 * every change goes through {@link Lifecycle} and yields a new value.
 *
 * <p>{@code timelineDropped} counts the oldest timeline entries dropped to keep the timeline within its
 * bounds (absent from JSON while 0, and read as 0 from JSON written before it existed).
 *
 * <p>A grouped incident (one opened by a grouping rule) also has {@code groupKey}, {@code groupLabels},
 * {@code ruleId}, {@code memberCount}, {@code lastJoinedAt} and {@code alerts}, its member alerts, the
 * first {@link Bounds#MAX_MEMBERS} that fit {@link Bounds#MAX_MEMBERS_BYTES} (the rest are counted in
 * {@code memberCount} only). All are null, and absent from JSON, on an incident of one alert.
 *
 * <p>Times are event times (the {@code checkedAt} of the alerts folded in; {@code validUntil} for an
 * expiry), so replaying the same events rebuilds the same incident.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonSerialize(using = IncidentJson.class)
public record Incident(
        String id,
        String tenantId,
        String alertId,
        int alertVersion,
        String alertTemplateId,
        Status status,
        Severity severity,
        String title,
        String description,
        Source source,
        Instant createdAt,
        Instant updatedAt,
        Instant lastCheckedAt,
        Instant validUntil,
        Instant acknowledgedAt,
        Instant resolvedAt,
        String assignee,
        long alertCount,
        JsonNode reportData,
        Map<String, String> labels,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<TimelineEntry> timeline,

        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonSetter(nulls = Nulls.AS_EMPTY)
        long timelineDropped,

        String groupKey,
        Map<String, String> groupLabels,
        String ruleId,
        Long memberCount,
        Instant lastJoinedAt,
        List<MemberAlert> alerts) {

    /** Transitions kept per incident; older ones are dropped first. */
    public static final int TIMELINE_LIMIT = Bounds.MAX_TIMELINE_ENTRIES;

    /**
     * Every value is within {@link Bounds}, whoever builds it: texts over their bound are cut (marked
     * "…"), labels that do not fit are left out, a too large {@code reportData} is replaced by a note
     * saying so, and the oldest timeline entries are dropped until the timeline fits in entries and
     * bytes, counted in {@code timelineDropped}. The edges refuse such values before they get here;
     * this is what makes the bound hold for state written by earlier versions too.
     */
    public Incident {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        title = Bounds.cut(title, Bounds.MAX_TITLE_CHARS);
        description = Bounds.cut(description, Bounds.MAX_TEXT_CHARS, Bounds.MAX_TEXT_BYTES);
        assignee = Bounds.cut(assignee, Bounds.MAX_ASSIGNEE_CHARS);
        reportData = Bounds.clampReportData(reportData);
        labels = labels == null ? Map.of() : Map.copyOf(Bounds.clampLabels(labels));
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
        final int overflow = Bounds.timelineOverflow(timeline);
        if (overflow > 0) {
            timeline = List.copyOf(timeline.subList(overflow, timeline.size()));
            timelineDropped += overflow;
        }
        groupKey = Bounds.cut(groupKey, Bounds.MAX_GROUP_KEY_CHARS);
        groupLabels =
                groupLabels == null ? null : Map.copyOf(Bounds.clampLabels(groupLabels, Bounds.MAX_GROUP_LABELS_BYTES));
        if (alerts != null) {
            final int fit = Bounds.membersThatFit(alerts);
            alerts = List.copyOf(fit == alerts.size() ? alerts : alerts.subList(0, fit));
        }
    }

    /** Whether a grouping rule opened this incident (it has members), rather than one alert. */
    public boolean grouped() {
        return groupKey != null;
    }

    public AlertKey alertKey() {
        return new AlertKey(tenantId, alertId);
    }

    /** When the incident closed (RESOLVED or EXPIRED): the last change of a closed incident. */
    public Instant closedAt() {
        return status.isOpen() ? null : updatedAt;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The same incident without its timeline and member list, as list pages show it. */
    public Incident withoutTimeline() {
        return timeline.isEmpty() && timelineDropped == 0 && alerts == null
                ? this
                : toBuilder()
                        .timeline(List.of())
                        .timelineDropped(0)
                        .alerts(null)
                        .build();
    }

    /** Copy-and-modify for the transition functions; not exposed beyond building new values. */
    public static final class Builder {
        private String id;
        private String tenantId;
        private String alertId;
        private int alertVersion;
        private String alertTemplateId;
        private Status status;
        private Severity severity;
        private String title;
        private String description;
        private Source source;
        private Instant createdAt;
        private Instant updatedAt;
        private Instant lastCheckedAt;
        private Instant validUntil;
        private Instant acknowledgedAt;
        private Instant resolvedAt;
        private String assignee;
        private long alertCount;
        private JsonNode reportData;
        private Map<String, String> labels;
        private List<TimelineEntry> timeline;
        private long timelineDropped;
        private String groupKey;
        private Map<String, String> groupLabels;
        private String ruleId;
        private Long memberCount;
        private Instant lastJoinedAt;
        private List<MemberAlert> alerts;

        public Builder() {}

        private Builder(final Incident i) {
            id = i.id;
            tenantId = i.tenantId;
            alertId = i.alertId;
            alertVersion = i.alertVersion;
            alertTemplateId = i.alertTemplateId;
            status = i.status;
            severity = i.severity;
            title = i.title;
            description = i.description;
            source = i.source;
            createdAt = i.createdAt;
            updatedAt = i.updatedAt;
            lastCheckedAt = i.lastCheckedAt;
            validUntil = i.validUntil;
            acknowledgedAt = i.acknowledgedAt;
            resolvedAt = i.resolvedAt;
            assignee = i.assignee;
            alertCount = i.alertCount;
            reportData = i.reportData;
            labels = i.labels;
            timeline = i.timeline;
            timelineDropped = i.timelineDropped;
            groupKey = i.groupKey;
            groupLabels = i.groupLabels;
            ruleId = i.ruleId;
            memberCount = i.memberCount;
            lastJoinedAt = i.lastJoinedAt;
            alerts = i.alerts;
        }

        public Builder id(final String v) {
            id = v;
            return this;
        }

        public Builder tenantId(final String v) {
            tenantId = v;
            return this;
        }

        public Builder alertId(final String v) {
            alertId = v;
            return this;
        }

        public Builder alertVersion(final int v) {
            alertVersion = v;
            return this;
        }

        public Builder alertTemplateId(final String v) {
            alertTemplateId = v;
            return this;
        }

        public Builder status(final Status v) {
            status = v;
            return this;
        }

        public Builder severity(final Severity v) {
            severity = v;
            return this;
        }

        public Builder title(final String v) {
            title = v;
            return this;
        }

        public Builder description(final String v) {
            description = v;
            return this;
        }

        public Builder source(final Source v) {
            source = v;
            return this;
        }

        public Builder createdAt(final Instant v) {
            createdAt = v;
            return this;
        }

        public Builder updatedAt(final Instant v) {
            updatedAt = v;
            return this;
        }

        public Builder lastCheckedAt(final Instant v) {
            lastCheckedAt = v;
            return this;
        }

        public Builder validUntil(final Instant v) {
            validUntil = v;
            return this;
        }

        public Builder acknowledgedAt(final Instant v) {
            acknowledgedAt = v;
            return this;
        }

        public Builder resolvedAt(final Instant v) {
            resolvedAt = v;
            return this;
        }

        public Builder assignee(final String v) {
            assignee = v;
            return this;
        }

        public Builder alertCount(final long v) {
            alertCount = v;
            return this;
        }

        public Builder reportData(final JsonNode v) {
            reportData = v;
            return this;
        }

        public Builder labels(final Map<String, String> v) {
            labels = v;
            return this;
        }

        public Builder timeline(final List<TimelineEntry> v) {
            timeline = v;
            return this;
        }

        /** How many of the oldest timeline entries were dropped so far. */
        public Builder timelineDropped(final long v) {
            timelineDropped = v;
            return this;
        }

        public Builder groupKey(final String v) {
            groupKey = v;
            return this;
        }

        public Builder groupLabels(final Map<String, String> v) {
            groupLabels = v;
            return this;
        }

        public Builder ruleId(final String v) {
            ruleId = v;
            return this;
        }

        public Builder memberCount(final Long v) {
            memberCount = v;
            return this;
        }

        public Builder lastJoinedAt(final Instant v) {
            lastJoinedAt = v;
            return this;
        }

        public Builder alerts(final List<MemberAlert> v) {
            alerts = v;
            return this;
        }

        /**
         * Appends a transition. The incident built keeps only the newest that fit in
         * {@link Bounds#MAX_TIMELINE_ENTRIES} and {@link Bounds#MAX_TIMELINE_BYTES}.
         */
        public Builder addTransition(final TimelineEntry entry) {
            final List<TimelineEntry> next = new ArrayList<>(timeline == null ? List.of() : timeline);
            next.add(entry);
            timeline = next;
            return this;
        }

        public Incident build() {
            return new Incident(
                    id,
                    tenantId,
                    alertId,
                    alertVersion,
                    alertTemplateId,
                    status,
                    severity,
                    title,
                    description,
                    source,
                    createdAt,
                    updatedAt,
                    lastCheckedAt,
                    validUntil,
                    acknowledgedAt,
                    resolvedAt,
                    assignee,
                    alertCount,
                    reportData,
                    labels,
                    timeline,
                    timelineDropped,
                    groupKey,
                    groupLabels,
                    ruleId,
                    memberCount,
                    lastJoinedAt,
                    alerts);
        }
    }
}
