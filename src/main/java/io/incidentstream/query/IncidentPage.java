package io.incidentstream.query;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.incidentstream.model.Incident;
import java.util.List;

/**
 * Seed 000's {@code IncidentsPaginatedResponse}: {@code data}, {@code nextToken} absent on the last
 * page, plus on request {@code count} and {@code countExact}: false when {@code count} is a lower
 * bound, because counting every match would have read more than a count may ({@link LocalCount}).
 *
 * <p>{@code staleness}: not part of the body; set when some partitions were read from standby copies
 * (the largest changelog lag among them, in records), for the {@code X-Incident-Staleness} header.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IncidentPage(
        List<Incident> data,
        String nextToken,
        Long count,
        Boolean countExact,
        @JsonIgnore Long staleness) {

    public IncidentPage(final List<Incident> data, final String nextToken, final Long count, final Boolean countExact) {
        this(data, nextToken, count, countExact, null);
    }

    /** A page whose count, if any, is exact. */
    public IncidentPage(final List<Incident> data, final String nextToken, final Long count) {
        this(data, nextToken, count, count == null ? null : Boolean.TRUE);
    }
}
