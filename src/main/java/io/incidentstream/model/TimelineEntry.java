package io.incidentstream.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One status transition of an incident. {@code source} says what caused it ({@code alert},
 * {@code expiry}, {@code api}, {@code retention}); {@code actor} who, where known.
 *
 * <p>Bounded by construction: {@code note} to {@link Bounds#MAX_TEXT_CHARS} characters and
 * {@link Bounds#MAX_TEXT_BYTES} bytes, {@code actor} to {@link Bounds#MAX_ACTOR_CHARS}. A note over
 * its bound is refused before an entry is made ({@link Commands}); what is cut here is only what
 * bypassed that (a long token subject, an entry stored by an earlier version).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TimelineEntry(Instant at, Status from, Status to, String source, String actor, String note) {

    /** Longest {@code source}: ours are short words, anything longer was not written by us. */
    static final int MAX_SOURCE_CHARS = 32;

    public TimelineEntry {
        source = Bounds.cut(source, MAX_SOURCE_CHARS);
        actor = Bounds.cut(actor, Bounds.MAX_ACTOR_CHARS);
        note = Bounds.cut(note, Bounds.MAX_TEXT_CHARS, Bounds.MAX_TEXT_BYTES);
    }

    public static final String SOURCE_ALERT = "alert";
    public static final String SOURCE_EXPIRY = "expiry";
    public static final String SOURCE_API = "api";
    /** The retention purge: a closed incident removed after {@code INCIDENT_RETENTION}. */
    public static final String SOURCE_RETENTION = "retention";
}
