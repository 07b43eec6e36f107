package io.incidentstream.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.incidentstream.model.Incident;
import java.util.List;

/**
 * Seed 000's {@code IncidentsPaginatedResponse}: {@code data}, {@code nextToken} absent on the last
 * page, plus on request {@code count} and {@code countExact}: false when {@code count} is a lower
 * bound, because counting every match would have read more than a count may ({@link LocalCount}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IncidentPage(List<Incident> data, String nextToken, Long count, Boolean countExact) {

    /** A page whose count, if any, is exact. */
    public IncidentPage(final List<Incident> data, final String nextToken, final Long count) {
        this(data, nextToken, count, count == null ? null : Boolean.TRUE);
    }
}
