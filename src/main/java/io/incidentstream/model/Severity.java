package io.incidentstream.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How bad an incident is; declared from worst to mildest. */
public enum Severity {
    CRITICAL,
    HIGH,
    MEDIUM,
    LOW;

    @JsonCreator
    public static Severity parse(final String text) {
        return Enums.parse(Severity.class, text, "severity");
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
