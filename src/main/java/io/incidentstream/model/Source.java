package io.incidentstream.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where an incident came from: folded from alerts, or created by a person through the API. */
public enum Source {
    AUTOMATED,
    MANUAL;

    @JsonCreator
    public static Source parse(final String text) {
        return Enums.parse(Source.class, text, "source");
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
