package io.incidentstream.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code GET /incidents/summary} answers: open incidents now, and response times over the
 * window ({@code window} as an ISO-8601 duration, {@code from} to {@code to}). Times are from an incident's {@code createdAt}; quantiles within
 * {@link DurationSketch#RELATIVE_ERROR_PERCENT}% ({@code relativeErrorPercent}); {@code complete} is
 * false when some instance reached its scan limit.
 */
public record IncidentSummary(
        String window,
        Instant from,
        Instant to,
        Open open,
        Figure timeToAcknowledge,
        Resolve timeToResolve,
        double relativeErrorPercent,
        boolean complete) {

    /** Open incidents by status, by severity, and in all. */
    public record Open(long total, Map<String, Long> byStatus, Map<String, Long> bySeverity) {}

    /** How many, and the median and 90th percentile in seconds (absent when none). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Figure(long count, Double p50Seconds, Double p90Seconds) {
        static Figure of(final DurationSketch sketch) {
            return new Figure(sketch.count(), seconds(sketch.quantile(0.5)), seconds(sketch.quantile(0.9)));
        }

        private static Double seconds(final Duration d) {
            return d == null ? null : Math.round(d.toNanos() / 1_000_000d) / 1000d;
        }
    }

    /**
     * Time to close, apart by who closed: a person through the API ({@code byPerson}, the MTTR figure),
     * the monitoring system's RESOLVED ({@code byAlert}), or expiry ({@code expired}).
     */
    public record Resolve(Figure byPerson, Figure byAlert, Figure expired) {}

    /** The merge of every instance's part: counts add, sketches merge exactly. */
    static IncidentSummary merge(
            final Duration window, final Instant from, final Instant to, final List<LocalSummary> parts) {
        final Map<String, Long> byStatus = new LinkedHashMap<>();
        final Map<String, Long> bySeverity = new LinkedHashMap<>();
        for (Status s : List.of(Status.ACTIVE, Status.ACKNOWLEDGED)) {
            byStatus.put(s.json(), 0L);
        }
        for (Severity s : Severity.values()) {
            bySeverity.put(s.json(), 0L);
        }
        final DurationSketch ack = new DurationSketch();
        final DurationSketch person = new DurationSketch();
        final DurationSketch alert = new DurationSketch();
        final DurationSketch expired = new DurationSketch();
        boolean complete = true;
        long total = 0;
        for (LocalSummary part : parts) {
            for (Status s : List.of(Status.ACTIVE, Status.ACKNOWLEDGED)) {
                for (Severity v : Severity.values()) {
                    final long n = part.open().getOrDefault(LocalSummaries.key(s, v), 0L);
                    byStatus.merge(s.json(), n, Long::sum);
                    bySeverity.merge(v.json(), n, Long::sum);
                    total += n;
                }
            }
            ack.merge(part.acknowledge());
            person.merge(part.resolvedByPerson());
            alert.merge(part.resolvedByAlert());
            expired.merge(part.expired());
            complete &= part.complete();
        }
        return new IncidentSummary(
                window.toString(),
                from,
                to,
                new Open(total, byStatus, bySeverity),
                Figure.of(ack),
                new Resolve(Figure.of(person), Figure.of(alert), Figure.of(expired)),
                DurationSketch.RELATIVE_ERROR_PERCENT,
                complete);
    }
}
