package io.incidentstream.metrics;

import io.incidentstream.model.Incident;
import io.incidentstream.model.Status;
import io.incidentstream.model.TimelineEntry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;

/**
 * Time to acknowledge and time to resolve, as Prometheus histograms
 * ({@code incidents_time_to_acknowledge_seconds}, {@code incidents_time_to_resolve_seconds}), from
 * an incident's {@code createdAt} to the transition. No tenant label (unbounded); time to resolve is
 * tagged {@code closed_by} = {@code person} (through the API), {@code alert} (the monitoring system's
 * RESOLVED) or {@code expiry}, since automatic closes are not a responder's time. Like the other
 * transition counters, a transition re-processed after a crash under exactly-once is recorded again.
 */
final class ResponseTimeMeters {
    /** From "within a minute" to "a week": the range MTTA and MTTR dashboards look at. */
    private static final Duration[] BUCKETS = {
        Duration.ofSeconds(30),
        Duration.ofMinutes(1),
        Duration.ofMinutes(2),
        Duration.ofMinutes(5),
        Duration.ofMinutes(10),
        Duration.ofMinutes(15),
        Duration.ofMinutes(30),
        Duration.ofHours(1),
        Duration.ofHours(2),
        Duration.ofHours(4),
        Duration.ofHours(8),
        Duration.ofHours(24),
        Duration.ofDays(3),
        Duration.ofDays(7)
    };

    private final Timer acknowledge;
    private final Map<String, Timer> resolve;

    ResponseTimeMeters(final MeterRegistry registry) {
        acknowledge = Timer.builder("incidents.time.to.acknowledge")
                .description("From an incident's createdAt to its acknowledgement")
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
        resolve = Map.of(
                "person", resolve(registry, "person"),
                "alert", resolve(registry, "alert"),
                "expiry", resolve(registry, "expiry"));
    }

    private static Timer resolve(final MeterRegistry registry, final String by) {
        return Timer.builder("incidents.time.to.resolve")
                .description("From an incident's createdAt to its close, by who closed it (person, alert, expiry)")
                .tag("closed_by", by)
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    /** Records the transition if it acknowledges or closes an open incident. */
    void record(final Incident incident, final TimelineEntry t) {
        if (t.from() == null || t.to() == null || !t.from().isOpen() || t.from() == t.to()) {
            return;
        }
        final Duration took = Duration.between(incident.createdAt(), t.at());
        final Duration clamped = took.isNegative() ? Duration.ZERO : took;
        if (t.to() == Status.ACKNOWLEDGED) {
            acknowledge.record(clamped);
        } else if (!t.to().isOpen()) {
            resolve.get(closedBy(t)).record(clamped);
        }
    }

    private static String closedBy(final TimelineEntry t) {
        if (t.to() == Status.EXPIRED) {
            return "expiry";
        }
        return TimelineEntry.SOURCE_API.equals(t.source()) ? "person" : "alert";
    }
}
