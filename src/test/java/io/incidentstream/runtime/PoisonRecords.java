package io.incidentstream.runtime;

import io.incidentstream.errors.InvalidAlertException;
import io.incidentstream.ingest.AlertDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Records no producer should send but some will: every kind of bad value the {@code alerts} topic
 * can carry. {@link #value} gives the n-th poison value (kinds in rotation, a few oversized ones
 * among them), {@link #expectedReason} what the decoder says about it, so a test knows which
 * {@code dlq.reason} each must arrive with. Values name real alert ids, so poison that leaked into
 * the fold would show in their counts.
 */
final class PoisonRecords {
    private static final AlertDecoder DECODER = new AlertDecoder(Duration.ofMinutes(5));
    /** One in this many poison records is larger than {@link AlertDecoder#MAX_ALERT_BYTES}. */
    static final int OVERSIZED_EVERY = 997;

    private static final List<Function<String, String>> KINDS = List.of(
            at -> "{not json",
            at -> "",
            at -> "[1, 2, 3]",
            at -> "\"just a string\"",
            at -> "{\"status\":\"FIRING\",\"checkedAt\":\"" + at + "\"}",
            at -> "{\"alertId\":\"good-1\",\"checkedAt\":\"" + at + "\"}",
            at -> "{\"alertId\":\"good-2\",\"status\":\"FIRING\"}",
            at -> "{\"alertId\":\"good-3\",\"status\":\"BURNING\",\"checkedAt\":\"" + at + "\"}",
            at -> "{\"alertId\":\"good-4\",\"status\":\"FIRING\",\"severity\":\"apocalyptic\",\"checkedAt\":\"" + at
                    + "\"}",
            at -> "{\"alertId\":\"good-5\",\"status\":\"FIRING\",\"checkedAt\":\"yesterday\"}",
            at -> "{\"alertId\":\"good-6\",\"status\":\"FIRING\",\"checkedAt\":1700000000}",
            at -> "{\"alertId\":\"good-7\",\"status\":\"FIRING\",\"checkedAt\":\"2026-13-45T99:00:00Z\"}",
            at -> "{\"alertId\":42,\"status\":\"FIRING\",\"checkedAt\":\"" + at + "\"}",
            at -> "{\"alertId\":\"good-8\",\"status\":\"FIRING\",\"checkedAt\":\"" + at
                    + "\",\"validUntil\":\"2001-01-01T00:00:00Z\"}",
            at -> "{\"alertId\":\"good-9\",\"tenantId\":\"no/slashes here\",\"status\":\"FIRING\",\"checkedAt\":\"" + at
                    + "\"}",
            at -> "{\"alertId\":\"good-10\",\"status\":\"FIRING\",\"checkedAt\":\"" + at
                    + "\"}{\"alertId\":\"good-11\"}",
            at -> "[".repeat(200) + "]".repeat(200),
            at -> "{\"alertId\":\"good-12\",\"status\":\"FIRING\",\"checkedAt\":\"" + at + "\",\"labels\":{\"a\":1}}",
            at -> "{\"alertId\":\"good-13\",\"status\":\"FIRING\",\"checkedAt\":\"" + at + "\",\"reportData\":[1]}",
            at -> "{\"alertId\":\"good-14\",\"status\":\"FIRING\",\"checkedAt\":\"" + at + "\",\"alertVersion\":-3}");

    private PoisonRecords() {}

    /** The n-th poison value; null for every kind count-th (a record with no value at all). */
    static byte[] value(final int n, final Instant checkedAt) {
        if (n % OVERSIZED_EVERY == OVERSIZED_EVERY - 1) {
            return ("{\"alertId\":\"good-0\",\"status\":\"FIRING\",\"checkedAt\":\"" + checkedAt
                            + "\",\"description\":\"" + "x".repeat(AlertDecoder.MAX_ALERT_BYTES) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
        }
        final int kind = n % (KINDS.size() + 1);
        if (kind == KINDS.size()) {
            return null;
        }
        return KINDS.get(kind).apply(checkedAt.toString()).getBytes(StandardCharsets.UTF_8);
    }

    /** The {@code dlq.reason} the application gives {@code value}; fails if the value is not poison at all. */
    static String expectedReason(final byte[] value) {
        try {
            DECODER.decode(value);
        } catch (InvalidAlertException e) {
            return e.reason().code();
        }
        throw new AssertionError("not poison: " + new String(value, StandardCharsets.UTF_8));
    }
}
