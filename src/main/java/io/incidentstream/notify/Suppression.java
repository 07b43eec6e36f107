package io.incidentstream.notify;

import io.incidentstream.model.Incident;
import java.time.Instant;

/**
 * Whether a notification about an incident is to be held back (a silence or a maintenance window
 * covers it). Asked before every attempt, so a silence that starts while a delivery is being retried
 * stops it too. {@link #NONE} holds nothing back.
 */
@FunctionalInterface
public interface Suppression {
    Suppression NONE = (tenant, incident, at) -> false;

    boolean suppressed(String tenant, Incident incident, Instant at);
}
