package io.incidentstream.query;

import io.incidentstream.model.Incident;

/**
 * The answer to a write: {@code status} 200/201 with the incident as applied, 204 after a delete,
 * or 202 when the owner had not applied it within the wait (then {@code location} says where to look).
 */
public record WriteOutcome(int status, Incident incident, String location) {}
