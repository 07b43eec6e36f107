package io.incidentstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.incidentstream.errors.InvalidAlertException;
import io.incidentstream.model.AlertEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Fuzz targets for every decoder of untrusted alert payloads: whatever the bytes, the result is a
 * valid event or the decoder's documented exception ({@link InvalidAlertException}, a 400 or a DLQ
 * record; {@link InvalidPagerDutyEventException} for PagerDuty) — never anything else, which would
 * be a 500 on HTTP ingest or a crash of the stream thread.
 *
 * <p>Without {@code JAZZER_FUZZ=1} each target only replays its committed corpus under
 * {@code src/test/resources/io/incidentstream/ingest/IngestFuzzTestInputs/<method>/}; see README
 * "Fuzzing" for a real session.
 */
class IngestFuzzTest {
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final Instant RECEIVED = Instant.parse("2026-11-25T16:38:00Z");

    private final AlertDecoder decoder = new AlertDecoder(TTL);
    private final AlertmanagerAdapter alertmanager = new AlertmanagerAdapter(decoder);
    private final PagerDutyAdapter pagerDuty = new PagerDutyAdapter(decoder, Duration.ofHours(24), () -> "generated");

    @FuzzTest(maxDuration = "60s")
    void nativeAlert(final byte[] bytes) {
        try {
            assertValid(decoder.decode(bytes));
        } catch (InvalidAlertException expected) {
            assertNotNull(expected.getMessage());
        }
    }

    @FuzzTest(maxDuration = "60s")
    void alertmanagerWebhook(final byte[] bytes) {
        try {
            alertmanager.fromWebhook(bytes, RECEIVED).forEach(IngestFuzzTest::assertValid);
        } catch (InvalidAlertException expected) {
            assertNotNull(expected.getMessage());
        }
    }

    @FuzzTest(maxDuration = "60s")
    void alertmanagerApi(final byte[] bytes) {
        try {
            final List<AlertEvent> events = alertmanager.fromApi(bytes, RECEIVED);
            events.forEach(IngestFuzzTest::assertValid);
        } catch (InvalidAlertException expected) {
            assertNotNull(expected.getMessage());
        }
    }

    @FuzzTest(maxDuration = "60s")
    void pagerDutyEvent(final byte[] bytes) {
        try {
            final PagerDutyAdapter.Accepted accepted = pagerDuty.translate(bytes, RECEIVED);
            assertValid(accepted.event());
            assertEquals(accepted.dedupKey(), accepted.event().alertId());
        } catch (InvalidPagerDutyEventException expected) {
            assertFalse(expected.errors().isEmpty());
        }
    }

    /** What the topology relies on of every decoded event. */
    private static void assertValid(final AlertEvent event) {
        assertNotNull(event.alertId());
        assertFalse(event.alertId().isBlank());
        assertNotNull(event.status());
        assertNotNull(event.severity());
        assertNotNull(event.tenantId());
        assertNotNull(event.checkedAt());
        assertNotNull(event.validUntil());
        assertFalse(event.validUntil().isBefore(event.checkedAt()), "validUntil before checkedAt");
        assertTrue(event.checkedAt().isAfter(AlertDecoder.EARLIEST.minusMillis(1))
                && event.checkedAt().isBefore(AlertDecoder.LATEST));
        assertNotNull(event.labels());
    }
}
