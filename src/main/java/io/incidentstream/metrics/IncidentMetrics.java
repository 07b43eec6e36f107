package io.incidentstream.metrics;

import io.incidentstream.errors.InvalidAlertException;
import io.incidentstream.model.Incident;
import io.incidentstream.model.Lifecycle;
import io.incidentstream.model.Status;
import io.incidentstream.model.TimelineEntry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Meters of the incident topology, handed to its processors so the topology itself stays free of
 * registries and sockets. Tags come from small closed sets (outcomes, DLQ reasons, severities),
 * never from ids, so cardinality stays bounded. Counters are created up front so that dashboards
 * and {@code rate()} see zeros rather than missing series.
 *
 * <p>Counters count processing, not committed results: after a crash under exactly-once, Kafka
 * Streams re-processes the records of the aborted transaction and they are counted again. The
 * {@code incidents.open} gauges are rebuilt from committed state and stay exact.
 */
public final class IncidentMetrics {
    /** Bucket bounds of the event-time lag: from "live" to "an hour behind" (replays land in +Inf). */
    private static final Duration[] LAG_BUCKETS = {
        Duration.ofMillis(100),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofSeconds(5),
        Duration.ofSeconds(15),
        Duration.ofSeconds(30),
        Duration.ofMinutes(1),
        Duration.ofMinutes(5),
        Duration.ofMinutes(15),
        Duration.ofHours(1)
    };

    private final Map<Lifecycle.Outcome, Counter> outcomes = new EnumMap<>(Lifecycle.Outcome.class);
    private final Counter deadLettered;
    private final Map<InvalidAlertException.Reason, Counter> deadLetters =
            new EnumMap<>(InvalidAlertException.Reason.class);
    private final Counter unexpectedDeadLetters;
    private final Counter opened;
    private final Counter reopened;
    private final Map<Status, Counter> closedOrAcknowledged = new EnumMap<>(Status.class);
    private final Timer eventLag;
    private final Counter commandDeadLetters;
    private final Counter threadReplacements;
    private final Map<HandledFailure, Counter> handledFailures = new EnumMap<>(HandledFailure.class);
    private final Timer expirySweep;
    private final Timer indexRebuild;
    private final Counter indexRebuilt;
    private final Counter purged;
    private final OpenIncidentGauges openIncidents;
    private final ResponseTimeMeters responseTimes;

    public IncidentMetrics(final MeterRegistry registry) {
        for (Lifecycle.Outcome o : Lifecycle.Outcome.values()) {
            if (o != Lifecycle.Outcome.EXPIRED) { // the expiry sweep's outcome, never an alert's
                outcomes.put(
                        o, consumed(registry, o.name().toLowerCase(Locale.ROOT).replace('_', '-')));
            }
        }
        deadLettered = consumed(registry, "dlq");
        for (InvalidAlertException.Reason r : InvalidAlertException.Reason.values()) {
            deadLetters.put(r, deadLetterCounter(registry, r.code()));
        }
        unexpectedDeadLetters = deadLetterCounter(registry, "unexpected");
        opened = transitions(
                registry, "opened", "Incidents opened (a FIRING with no open incident, or created through the API)");
        reopened = transitions(
                registry,
                "reopened",
                "Closed incidents reopened (a FIRING within the flap window, or through the API)");
        closedOrAcknowledged.put(Status.RESOLVED, transitions(registry, "resolved", "Incidents resolved"));
        closedOrAcknowledged.put(
                Status.EXPIRED, transitions(registry, "expired", "Incidents expired (no FIRING before validUntil)"));
        closedOrAcknowledged.put(Status.ACKNOWLEDGED, transitions(registry, "acknowledged", "Incidents acknowledged"));
        eventLag = Timer.builder("alerts.event.lag")
                .description(
                        "Wall clock at processing minus the alert's checkedAt: how far behind the events incidents are")
                .serviceLevelObjectives(LAG_BUCKETS)
                .register(registry);
        commandDeadLetters = Counter.builder("commands.dlq")
                .description("incident-commands records that were not valid commands")
                .register(registry);
        for (HandledFailure f : HandledFailure.values()) {
            handledFailures.put(
                    f,
                    Counter.builder("streams.dlq")
                            .description(
                                    "Records Kafka Streams' exception handlers sent to the dead-letter topic instead of stopping the stream thread, by reason")
                            .tag("reason", f.code())
                            .register(registry));
        }
        purged = Counter.builder("incidents.purged")
                .description("Closed incidents removed from state after INCIDENT_RETENTION")
                .register(registry);
        expirySweep = Timer.builder("incidents.expiry.sweep")
                .description("Duration of one expiry punctuation of one partition")
                .register(registry);
        indexRebuild = Timer.builder("incidents.index.rebuild")
                .description(
                        "Rebuilds of one partition's list, expiry and retention indexes from its incidents, at a task start without a clean close")
                .register(registry);
        indexRebuilt = Counter.builder("incidents.index.rebuilt")
                .description("Incidents indexed so far by index rebuilds, slice by slice: a rebuild's progress")
                .register(registry);
        threadReplacements = Counter.builder("streams.thread.replacements")
                .description(
                        "Stream threads replaced after the broker was out of reach for longer than a transaction may wait")
                .register(registry);
        openIncidents = new OpenIncidentGauges(registry);
        responseTimes = new ResponseTimeMeters(registry);
    }

    private static Counter consumed(final MeterRegistry registry, final String outcome) {
        return Counter.builder("alerts.consumed")
                .description(
                        "Alert records consumed, by outcome: what they did to incidents, or dlq when they could not be decoded")
                .tag("outcome", outcome)
                .register(registry);
    }

    private static Counter deadLetterCounter(final MeterRegistry registry, final String reason) {
        return Counter.builder("alerts.dlq")
                .description("Alert records sent to the dead-letter topic, by reason")
                .tag("reason", reason)
                .register(registry);
    }

    private static Counter transitions(final MeterRegistry registry, final String what, final String description) {
        return Counter.builder("incidents." + what).description(description).register(registry);
    }

    public void alertApplied(final Lifecycle.Outcome outcome) {
        outcomes.get(outcome).increment();
    }

    public void deadLetter(final InvalidAlertException.Reason reason) {
        deadLettered.increment();
        if (reason == null) {
            unexpectedDeadLetters.increment();
        } else {
            deadLetters.get(reason).increment();
        }
    }

    /**
     * Counts a status transition by where it leads: opened (from nothing), reopened (closed to
     * ACTIVE), resolved, expired, acknowledged. Transitions from any source (alerts, expiry, API)
     * count the same; a note (same status before and after) and a delete count nothing.
     */
    public void transition(final TimelineEntry t) {
        if (t.to() == null || t.from() == t.to()) {
            return;
        }
        if (t.from() == null) {
            opened.increment();
        } else if (t.to() == Status.ACTIVE && !t.from().isOpen()) {
            reopened.increment();
        } else {
            final Counter counter = closedOrAcknowledged.get(t.to());
            if (counter != null) {
                counter.increment();
            }
        }
    }

    /**
     * Records the time to acknowledge or to resolve when {@code t} acknowledges or closes the open
     * {@code incident} ({@link ResponseTimeMeters}); anything else records nothing.
     */
    public void responseTime(final Incident incident, final TimelineEntry t) {
        responseTimes.record(incident, t);
    }

    /** Records how far behind the event's own time its processing happens; negative (clock skew) counts as zero. */
    public void eventLag(final Duration lag) {
        eventLag.record(lag.isNegative() ? Duration.ZERO : lag);
    }

    /** An incident-commands record that was not a valid command. */
    public void commandDeadLetter() {
        commandDeadLetters.increment();
    }

    /** A record dead-lettered by an exception handler; the stream thread went on. */
    public void handled(final HandledFailure failure) {
        handledFailures.get(failure).increment();
    }

    /** A closed incident purged after INCIDENT_RETENTION (not a transition: it was closed already). */
    public void purged() {
        purged.increment();
    }

    public void expirySweep(final Duration took) {
        expirySweep.record(took);
    }

    public void indexRebuild(final Duration took) {
        indexRebuild.record(took);
    }

    /** Incidents one slice of an index rebuild indexed. */
    public void indexRebuilt(final long incidents) {
        indexRebuilt.increment((double) incidents);
    }

    /** A stream thread replaced after a broker outage failed its transaction. */
    public void streamThreadReplaced() {
        threadReplacements.increment();
    }

    public OpenIncidentGauges openIncidents() {
        return openIncidents;
    }
}
