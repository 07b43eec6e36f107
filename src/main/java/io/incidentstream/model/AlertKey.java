package io.incidentstream.model;

/**
 * Identity of an alert stream: incidents are folded per (tenantId, alertId). The text form
 * {@code tenantId/alertId} is the Kafka record key on {@code alerts}, so the default partitioner
 * sends every event of one alert to one partition. Tenant ids cannot contain '/', alert ids may.
 */
public record AlertKey(String tenantId, String alertId) {

    public String asString() {
        return tenantId + "/" + alertId;
    }

    @Override
    public String toString() {
        return asString();
    }
}
