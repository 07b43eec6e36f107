package io.incidentstream.notify;

import io.incidentstream.model.Incident;
import java.time.Instant;
import java.util.List;

/**
 * The incidents a silence stopped muting: when a silence ends (its {@code endsAt} passes, it is expired
 * by hand, or a window of a recurring one closes), each incident it muted that is still open and muted
 * by no other silence is told about again, as {@code incident.unsilenced}. The silences live outside this
 * package; whoever wires the application answers this.
 */
@FunctionalInterface
public interface Unsilenced {
    /** Nothing is ever unsilenced. */
    Unsilenced NONE = (from, to) -> List.of();

    /**
     * Every incident, of any tenant, that a silence ending in {@code (from, to]} leaves open and unmuted.
     *
     * @throws RuntimeException when the incidents cannot be read now (a rebalance): asked again later
     */
    List<Unsilencing> between(Instant from, Instant to);

    /** The silence {@code silenceId} stopped muting {@code incident} (as it is now) at {@code endedAt}. */
    record Unsilencing(String silenceId, Instant endedAt, Incident incident) {}
}
