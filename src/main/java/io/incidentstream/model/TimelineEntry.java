package io.incidentstream.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One status transition of an incident. {@code source} says what caused it ({@code alert},
 * {@code expiry}, {@code api}, {@code retention}); {@code actor} who, where known.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TimelineEntry(Instant at, Status from, Status to, String source, String actor, String note) {

    public static final String SOURCE_ALERT = "alert";
    public static final String SOURCE_EXPIRY = "expiry";
    public static final String SOURCE_API = "api";
    /** The retention purge: a closed incident removed after {@code INCIDENT_RETENTION}. */
    public static final String SOURCE_RETENTION = "retention";
}
