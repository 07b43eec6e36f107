package io.incidentstream.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One report of a monitoring check, already validated and normalised by the ingest decoder:
 * defaults applied ({@code tenantId}, {@code severity}, {@code alertVersion}, {@code validUntil}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonSerialize(using = AlertEventJson.class)
@JsonDeserialize(using = AlertEventJson.Reader.class)
public record AlertEvent(
        String alertId,
        int alertVersion,
        String alertTemplateId,
        String tenantId,
        AlertStatus status,
        Severity severity,
        String title,
        String description,
        Instant checkedAt,
        Instant validUntil,
        JsonNode reportData,
        Map<String, String> labels,
        String eventId) {

    public static final String DEFAULT_TENANT = "default";

    public AlertEvent {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(checkedAt, "checkedAt");
        Objects.requireNonNull(validUntil, "validUntil");
        // Identities become store keys and cannot be cut: an event naming one over its bound is refused.
        Bounds.requireWithin("alertId", alertId, Bounds.MAX_ID_CHARS);
        Bounds.requireWithin("alertTemplateId", alertTemplateId, Bounds.MAX_ID_CHARS);
        Bounds.requireWithin("tenantId", tenantId, Bounds.MAX_TENANT_CHARS);
        Bounds.requireWithin("eventId", eventId, Bounds.MAX_ID_CHARS);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** The same event for {@code tenant}: ingest stamps the caller's tenant on what it accepts. */
    public AlertEvent withTenant(final String tenant) {
        return tenant.equals(tenantId)
                ? this
                : new AlertEvent(
                        alertId,
                        alertVersion,
                        alertTemplateId,
                        tenant,
                        status,
                        severity,
                        title,
                        description,
                        checkedAt,
                        validUntil,
                        reportData,
                        labels,
                        eventId);
    }

    /** The key this alert is partitioned and folded by. */
    public AlertKey key() {
        return new AlertKey(tenantId, alertId);
    }
}
