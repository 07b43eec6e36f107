package io.incidentstream.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Lifecycle state of an incident. ACTIVE and ACKNOWLEDGED are open; RESOLVED and EXPIRED are closed. */
public enum Status {
    ACTIVE,
    ACKNOWLEDGED,
    RESOLVED,
    EXPIRED;

    public boolean isOpen() {
        return this == ACTIVE || this == ACKNOWLEDGED;
    }

    @JsonCreator
    public static Status parse(final String text) {
        return Enums.parse(Status.class, text, "status");
    }

    @JsonValue
    public String json() {
        return name();
    }
}
