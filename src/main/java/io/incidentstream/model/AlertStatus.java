package io.incidentstream.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a monitoring check reported: the condition holds (FIRING) or no longer holds (RESOLVED). */
public enum AlertStatus {
    FIRING,
    RESOLVED;

    @JsonCreator
    public static AlertStatus parse(final String text) {
        return Enums.parse(AlertStatus.class, text, "status");
    }

    @JsonValue
    public String json() {
        return name();
    }
}
