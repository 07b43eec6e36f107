package io.incidentstream.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.incidentstream.model.Incident;
import java.util.List;

/** Seed 000's {@code IncidentsPaginatedResponse}: {@code data}, {@code nextToken} absent on the last page, plus {@code count} on request. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IncidentPage(List<Incident> data, String nextToken, Long count) {}
