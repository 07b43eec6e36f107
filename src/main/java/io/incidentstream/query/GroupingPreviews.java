package io.incidentstream.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.incidentstream.errors.BadRequestException;
import io.incidentstream.grouping.GroupLifecycle;
import io.incidentstream.grouping.GroupPreview;
import io.incidentstream.grouping.GroupingRule;
import io.incidentstream.grouping.Rule;
import io.incidentstream.grouping.Rules;
import io.incidentstream.model.AlertEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;

/**
 * {@code POST /rules/grouping/preview}: what a rule would have made of the alerts on topic
 * {@code alerts} in a time range. The rule is checked as a {@code PUT} checks it (a 400 names the
 * field, under {@code rule.}), the range is cut to the last {@link #MAX_RANGE} and the read to
 * {@link #MAX_RECORDS} records, and the fold's own grouping code runs in memory ({@link GroupPreview}).
 * No state changes: nothing is produced, committed or stored.
 */
public final class GroupingPreviews {
    /** How far back a preview reads at most. */
    public static final Duration MAX_RANGE = Duration.ofHours(24);
    /** Records read at most (of every tenant: the topic is shared). */
    public static final int MAX_RECORDS = 100_000;
    /** The range when the request names none: the last hour. */
    static final Duration DEFAULT_RANGE = Duration.ofHours(1);

    static final int DEFAULT_SAMPLE = 10;
    static final int MAX_SAMPLE = 50;
    private static final String PREVIEW_ID = "preview";

    /**
     * The request body.
     *
     * @param rule   a grouping rule as {@code PUT /rules/grouping/{id}} takes it ({@code id} optional)
     * @param from   start of the range (ISO-8601), default {@code to} minus one hour
     * @param to     end of the range (ISO-8601), default now
     * @param sample incidents listed at most, 0..50, default 10
     */
    public record Request(GroupingRule rule, String from, String to, Integer sample) {}

    /** The answer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Answer(
            GroupingRule rule,
            Instant from,
            Instant to,
            long recordsRead,
            boolean truncated,
            String truncatedBy,
            long alertEvents,
            long eventsMatched,
            long alertsMatched,
            long alertsNotMatched,
            long incidents,
            long alertsHeld,
            long stillHeld,
            List<GroupPreview.SampleIncident> sample) {}

    private final AlertHistory history;
    private final Duration flapWindow;
    private final Clock clock;
    private final int maxRecords;

    public GroupingPreviews(final AlertHistory history, final Duration flapWindow, final Clock clock) {
        this(history, flapWindow, clock, MAX_RECORDS);
    }

    GroupingPreviews(final AlertHistory history, final Duration flapWindow, final Clock clock, final int maxRecords) {
        this.history = history;
        this.flapWindow = flapWindow;
        this.clock = clock;
        this.maxRecords = maxRecords;
    }

    /**
     * Runs the preview for the tenant.
     *
     * @throws BadRequestException naming the field at fault
     */
    public Answer preview(final String tenant, final Request request) {
        if (request == null || request.rule() == null) {
            throw new BadRequestException("rule: a grouping rule object is required");
        }
        final GroupingRule given = request.rule();
        final Rule rule;
        try {
            rule = Rules.compile(given.id() == null ? given.withId(PREVIEW_ID) : given);
        } catch (BadRequestException e) {
            throw new BadRequestException("rule." + e.getMessage());
        }
        final int sample = request.sample() == null ? DEFAULT_SAMPLE : request.sample();
        if (sample < 0 || sample > MAX_SAMPLE) {
            throw new BadRequestException("sample: must be between 0 and " + MAX_SAMPLE);
        }
        final Instant now = clock.instant();
        final Instant to = instant("to", request.to(), now);
        final Instant requestedFrom = instant("from", request.from(), to.minus(DEFAULT_RANGE));
        if (!requestedFrom.isBefore(to)) {
            throw new BadRequestException("from: must lie before to");
        }
        final Instant oldest = now.minus(MAX_RANGE);
        final boolean cutRange = requestedFrom.isBefore(oldest);
        final Instant from = cutRange ? oldest : requestedFrom;
        final Instant end = to.isAfter(now) ? now : to;
        if (!from.isBefore(end)) {
            throw new BadRequestException("to: must lie within the last " + MAX_RANGE.toHours() + " h");
        }
        final AlertHistory.Read read = history.read(tenant, from, end, maxRecords);
        final GroupPreview fold = new GroupPreview(rule, new GroupLifecycle(flapWindow), sample);
        read.alerts().stream()
                .sorted(Comparator.comparing(AlertEvent::checkedAt))
                .forEach(fold::accept);
        final GroupPreview.Result r = fold.result(end);
        final String truncatedBy = read.truncatedBy() != null
                ? read.truncatedBy()
                : cutRange ? "at most the last " + MAX_RANGE.toHours() + " h are read" : null;
        return new Answer(
                rule.definition(),
                from,
                end,
                read.recordsRead(),
                truncatedBy != null,
                truncatedBy,
                read.alerts().size(),
                r.eventsMatched(),
                r.alertsMatched(),
                r.alertsNotMatched(),
                r.incidents(),
                r.alertsHeld(),
                r.stillHeld(),
                r.sample());
    }

    private static Instant instant(final String field, final String text, final Instant dflt) {
        if (text == null) {
            return dflt;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new BadRequestException(field + ": not an ISO-8601 instant (2026-01-31T12:00:00Z)");
        }
    }
}
