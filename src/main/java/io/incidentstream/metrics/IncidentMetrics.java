package io.incidentstream.metrics;

import io.incidentstream.ingest.InvalidAlertException;
import io.incidentstream.model.Lifecycle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Meters of the incident topology. Tags come from small closed sets (outcomes, DLQ reasons), never
 * from ids, so cardinality stays bounded. Counters are created up front so dashboards see zeros.
 */
public final class IncidentMetrics {
    private final Map<Lifecycle.Outcome, Counter> outcomes = new EnumMap<>(Lifecycle.Outcome.class);
    private final Map<InvalidAlertException.Reason, Counter> deadLetters = new EnumMap<>(InvalidAlertException.Reason.class);
    private final Counter unexpectedDeadLetters;
    private final Counter commandDeadLetters;
    private final Timer expirySweep;
    private final Counter expired;

    public IncidentMetrics(final MeterRegistry registry) {
        for (Lifecycle.Outcome o : Lifecycle.Outcome.values()) {
            outcomes.put(o, Counter.builder("alerts.consumed").description("Alert events applied to incidents, by outcome")
                .tag("outcome", o.name().toLowerCase(Locale.ROOT).replace('_', '-')).register(registry));
        }
        for (InvalidAlertException.Reason r : InvalidAlertException.Reason.values()) {
            deadLetters.put(r, deadLetterCounter(registry, r.code()));
        }
        unexpectedDeadLetters = deadLetterCounter(registry, "unexpected");
        commandDeadLetters = Counter.builder("commands.dlq").description("incident-commands records that were not valid commands")
            .register(registry);
        expirySweep = Timer.builder("incidents.expiry.sweep").description("Duration of one expiry punctuation").register(registry);
        expired = Counter.builder("incidents.expired").description("Incidents expired by the sweep").register(registry);
    }

    private static Counter deadLetterCounter(final MeterRegistry registry, final String reason) {
        return Counter.builder("alerts.dlq").description("Alert records sent to the dead-letter topic, by reason")
            .tag("reason", reason).register(registry);
    }

    public void alertApplied(final Lifecycle.Outcome outcome) {
        outcomes.get(outcome).increment();
    }

    public void deadLetter(final InvalidAlertException.Reason reason) {
        if (reason == null) {
            unexpectedDeadLetters.increment();
        } else {
            deadLetters.get(reason).increment();
        }
    }

    public void commandDeadLetter() {
        commandDeadLetters.increment();
    }

    public void expirySweep(final Duration took, final int count) {
        expirySweep.record(took);
        expired.increment(count);
    }
}
