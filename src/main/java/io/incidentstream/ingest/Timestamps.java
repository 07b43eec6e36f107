package io.incidentstream.ingest;

import static io.incidentstream.errors.InvalidAlertException.Reason.BAD_TIMESTAMP;

import io.incidentstream.codec.IsoInstants;
import io.incidentstream.errors.InvalidAlertException;
import io.incidentstream.model.Texts;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;

/**
 * Date-times as foreign monitoring systems write them. Go programs (Prometheus, Alertmanager) write
 * RFC 3339 with up to nine fractional digits and mark "no time" with Go's zero value
 * {@code 0001-01-01T00:00:00Z}; PagerDuty's documented examples use an offset without a colon
 * ({@code 2015-07-17T08:42:58.315+0000}). Both are read here; anything without an offset is refused,
 * because guessing the zone would silently shift times.
 */
final class Timestamps {
    /** Go's {@code time.Time{}} as JSON: Alertmanager's "not set", e.g. {@code endsAt} of a firing alert. */
    static final Instant GO_ZERO = Instant.parse("0001-01-01T00:00:00Z");

    private static final DateTimeFormatter LENIENT_OFFSET = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .appendPattern("[XXX][XX]")
            .toFormatter();

    private Timestamps() {}

    /**
     * Parses {@code text}; returns null for Go's zero time, which senders use for "absent".
     *
     * @param field the field's path, for the error message
     */
    static Instant parseOrZero(final String field, final String text) {
        final Instant at = parse(field, text);
        return at.equals(GO_ZERO) ? null : at;
    }

    static Instant parse(final String field, final String text) {
        final String trimmed = text.trim();
        final Instant fast = IsoInstants.tryParse(trimmed);
        if (fast != null) {
            return fast;
        }
        try {
            return OffsetDateTime.parse(trimmed, LENIENT_OFFSET).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidAlertException(
                    BAD_TIMESTAMP,
                    field + " must be an RFC 3339 date-time with offset, got '" + Texts.abbreviate(text) + "'");
        }
    }
}
