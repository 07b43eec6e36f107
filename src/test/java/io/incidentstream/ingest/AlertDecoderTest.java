package io.incidentstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.codec.Json;
import io.incidentstream.errors.InvalidAlertException;
import io.incidentstream.errors.InvalidAlertException.Reason;
import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.AlertStatus;
import io.incidentstream.model.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertDecoderTest {
    private static final Duration TTL = Duration.ofMinutes(7);

    /** /work/shared/examples/native-alert.json */
    private static final String NATIVE_ALERT = """
        {
          "alertId": "alert.1zYnCiM9Bpg.lv25y",
          "alertVersion": 1,
          "alertTemplateId": "abcd-efgh-ijkl-mnop",
          "tenantId": "default",
          "status": "FIRING",
          "severity": "high",
          "title": "Usage above threshold",
          "checkedAt": "2026-11-23T10:00:00Z",
          "validUntil": "2026-11-23T10:05:00Z",
          "reportData": {"usageValue": 10},
          "labels": {"service": "billing"}
        }
        """;

    private final AlertDecoder decoder = new AlertDecoder(TTL);

    private AlertEvent decode(final String json) {
        return decoder.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A minimal valid alert with {@code extra} spliced in as further members (may override earlier ones). */
    private static String minimal(final String extra) {
        return "{\"alertId\":\"a1\",\"status\":\"FIRING\",\"checkedAt\":\"2026-01-01T00:00:00Z\""
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    private InvalidAlertException rejects(final Reason reason, final String field, final byte[] bytes) {
        final InvalidAlertException e = assertThrows(InvalidAlertException.class, () -> decoder.decode(bytes));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(field), "message should name '" + field + "': " + e.getMessage());
        return e;
    }

    private InvalidAlertException rejects(final Reason reason, final String field, final String json) {
        return rejects(reason, field, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldDecodeNativeAlertWithAllFields() {
        final AlertEvent e = decode(NATIVE_ALERT);
        assertEquals("alert.1zYnCiM9Bpg.lv25y", e.alertId());
        assertEquals(1, e.alertVersion());
        assertEquals("abcd-efgh-ijkl-mnop", e.alertTemplateId());
        assertEquals("default", e.tenantId());
        assertEquals(AlertStatus.FIRING, e.status());
        assertEquals(Severity.HIGH, e.severity());
        assertEquals("Usage above threshold", e.title());
        assertEquals(Instant.parse("2026-11-23T10:00:00Z"), e.checkedAt());
        assertEquals(Instant.parse("2026-11-23T10:05:00Z"), e.validUntil());
        assertEquals(10, e.reportData().get("usageValue").intValue());
        assertEquals(Map.of("service", "billing"), e.labels());
        assertEquals("default/alert.1zYnCiM9Bpg.lv25y", e.key().asString());
    }

    @Test
    void shouldApplyDefaultsWhenOptionalFieldsAreAbsent() {
        final AlertEvent e = decode(minimal(""));
        assertEquals(AlertEvent.DEFAULT_TENANT, e.tenantId());
        assertEquals("default", e.tenantId());
        assertEquals(Severity.MEDIUM, e.severity());
        assertEquals(1, e.alertVersion());
        assertEquals("a1", e.alertTemplateId());
        assertEquals(Instant.parse("2026-01-01T00:07:00Z"), e.validUntil());
        assertNull(e.title());
        assertNull(e.reportData());
        assertEquals(Map.of(), e.labels());
    }

    @Test
    void shouldTreatJsonNullAsAbsent() {
        final AlertEvent e = decode(minimal("\"severity\":null,\"tenantId\":null,\"validUntil\":null"));
        assertEquals(Severity.MEDIUM, e.severity());
        assertEquals("default", e.tenantId());
        assertEquals(e.checkedAt().plus(TTL), e.validUntil());
    }

    @Test
    void shouldAcceptEpochMillisAndIsoWithOffset() {
        final long millis = Instant.parse("2026-03-04T05:06:07.089Z").toEpochMilli();
        final AlertEvent e =
                decode(minimal("\"checkedAt\":" + millis + ",\"validUntil\":\"2026-03-04T07:06:07.089+02:00\""));
        assertEquals(Instant.ofEpochMilli(millis), e.checkedAt());
        assertEquals(Instant.parse("2026-03-04T05:06:07.089Z"), e.validUntil());
    }

    @Test
    void shouldParseEnumsCaseInsensitively() {
        final AlertEvent e = decode(minimal("\"status\":\"resolved\",\"severity\":\"CrItIcAl\""));
        assertEquals(AlertStatus.RESOLVED, e.status());
        assertEquals(Severity.CRITICAL, e.severity());
        assertEquals(Severity.LOW, decode(minimal("\"severity\":\"LOW\"")).severity());
        assertEquals(
                AlertStatus.FIRING, decode(minimal("\"status\":\"Firing\"")).status());
    }

    @Test
    void shouldIgnoreUnknownFields() {
        assertEquals("a1", decode(minimal("\"somethingElse\":{\"x\":[1,2,3]}")).alertId());
    }

    @Test
    void shouldRejectNonJson() {
        rejects(Reason.NOT_JSON, "JSON", "{alertId: nope");
    }

    @Test
    void shouldRejectEmptyBytes() {
        rejects(Reason.NOT_JSON, "empty", new byte[0]);
        rejects(Reason.NOT_JSON, "empty", (byte[]) null);
    }

    @Test
    void shouldRejectArrayOrStringInsteadOfObject() {
        rejects(Reason.NOT_OBJECT, "object", "[" + minimal("") + "]");
        rejects(Reason.NOT_OBJECT, "object", "\"alert\"");
        rejects(Reason.NOT_OBJECT, "object", "42");
    }

    @Test
    void shouldRejectMissingAlertId() {
        rejects(Reason.MISSING_FIELD, "alertId", "{\"status\":\"FIRING\",\"checkedAt\":\"2026-01-01T00:00:00Z\"}");
        rejects(Reason.MISSING_FIELD, "alertId", minimal("\"alertId\":\"  \""));
    }

    @Test
    void shouldRejectMissingStatus() {
        rejects(Reason.MISSING_FIELD, "status", "{\"alertId\":\"a1\",\"checkedAt\":\"2026-01-01T00:00:00Z\"}");
    }

    @Test
    void shouldRejectMissingCheckedAt() {
        rejects(Reason.MISSING_FIELD, "checkedAt", "{\"alertId\":\"a1\",\"status\":\"FIRING\"}");
    }

    @Test
    void shouldRejectAlertIdOfWrongType() {
        rejects(Reason.WRONG_TYPE, "alertId", minimal("\"alertId\":123"));
        rejects(Reason.WRONG_TYPE, "alertId", minimal("\"alertId\":{\"id\":\"a\"}"));
    }

    @Test
    void shouldRejectUnknownStatus() {
        rejects(Reason.BAD_ENUM, "status", minimal("\"status\":\"PENDING\""));
        rejects(Reason.WRONG_TYPE, "status", minimal("\"status\":1"));
    }

    @Test
    void shouldRejectBadSeverity() {
        rejects(Reason.BAD_ENUM, "severity", minimal("\"severity\":\"urgent\""));
    }

    @Test
    void shouldRejectUnparseableTimestamp() {
        rejects(Reason.BAD_TIMESTAMP, "checkedAt", minimal("\"checkedAt\":\"yesterday\""));
        rejects(Reason.BAD_TIMESTAMP, "checkedAt", minimal("\"checkedAt\":\"2026-01-01T00:00:00\""));
        rejects(Reason.BAD_TIMESTAMP, "checkedAt", minimal("\"checkedAt\":true"));
        rejects(Reason.BAD_TIMESTAMP, "validUntil", minimal("\"validUntil\":\"2026-13-01T00:00:00Z\""));
    }

    @Test
    void shouldRejectTimestampInSeconds() {
        final long seconds = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond();
        rejects(Reason.BAD_TIMESTAMP, "checkedAt", minimal("\"checkedAt\":" + seconds));
        rejects(Reason.BAD_TIMESTAMP, "checkedAt", minimal("\"checkedAt\":\"2100-01-01T00:00:00Z\""));
        rejects(Reason.BAD_TIMESTAMP, "validUntil", minimal("\"validUntil\":" + seconds * 1_000_000));
    }

    @Test
    void shouldRejectValidUntilBeforeCheckedAt() {
        rejects(Reason.BAD_VALUE, "validUntil", minimal("\"validUntil\":\"2025-12-31T23:59:59Z\""));
    }

    @Test
    void shouldRejectOversizedRecord() {
        final String padding = "x".repeat(AlertDecoder.MAX_ALERT_BYTES);
        rejects(Reason.TOO_LARGE, String.valueOf(AlertDecoder.MAX_ALERT_BYTES), minimal("\"pad\":\"" + padding + "\""));
    }

    @Test
    void shouldRejectLabelsWithNonStringValue() {
        rejects(Reason.WRONG_TYPE, "labels.port", minimal("\"labels\":{\"service\":\"db\",\"port\":5432}"));
        rejects(Reason.WRONG_TYPE, "labels", minimal("\"labels\":[\"a\"]"));
    }

    @Test
    void shouldRejectBadTenantId() {
        rejects(Reason.BAD_VALUE, "tenantId", minimal("\"tenantId\":\"a/b\""));
        rejects(Reason.BAD_VALUE, "tenantId", minimal("\"tenantId\":\"-lead\""));
        rejects(Reason.BAD_VALUE, "tenantId", minimal("\"tenantId\":\"" + "t".repeat(65) + "\""));
        rejects(Reason.WRONG_TYPE, "tenantId", minimal("\"tenantId\":7"));
    }

    @Test
    void shouldRejectReportDataThatIsNotAnObject() {
        rejects(Reason.WRONG_TYPE, "reportData", minimal("\"reportData\":[1,2]"));
        rejects(Reason.WRONG_TYPE, "reportData", minimal("\"reportData\":\"text\""));
    }

    @Test
    void shouldRejectBadAlertVersion() {
        rejects(Reason.WRONG_TYPE, "alertVersion", minimal("\"alertVersion\":0"));
        rejects(Reason.WRONG_TYPE, "alertVersion", minimal("\"alertVersion\":\"2\""));
        rejects(Reason.WRONG_TYPE, "alertVersion", minimal("\"alertVersion\":1.5"));
    }

    @Test
    void shouldRejectDeepNestingAsNotJson() {
        final String deep = "{\"x\":".repeat(Json.MAX_NESTING + 1) + "1" + "}".repeat(Json.MAX_NESTING + 1);
        rejects(Reason.NOT_JSON, "JSON", minimal("\"reportData\":" + deep));
    }

    @Test
    void shouldAcceptNestingUpToTheLimit() {
        // the alert object itself is one level, reportData the second
        final int inner = Json.MAX_NESTING - 2;
        final String nested = "{\"x\":".repeat(inner) + "1" + "}".repeat(inner);
        assertEquals(
                "a1", decode(minimal("\"reportData\":{\"n\":" + nested + "}")).alertId());
    }

    @Test
    void shouldRejectTooLongTitle() {
        rejects(
                Reason.TOO_LARGE,
                "title",
                minimal("\"title\":\"" + "t".repeat(AlertDecoder.MAX_TITLE_LENGTH + 1) + "\""));
    }

    /** Six-byte escapes: within the character bound, over the byte bound. */
    @Test
    void shouldRejectADescriptionOverItsByteBoundNamingIt() {
        rejects(
                Reason.TOO_LARGE,
                "description is larger than 49152 bytes",
                minimal("\"description\":\"" + "\\u0001".repeat(9000) + "\""));
        assertEquals(
                16_384,
                decode(minimal("\"description\":\"" + "€".repeat(16_384) + "\""))
                        .description()
                        .length(),
                "the largest three-byte description is accepted");
    }

    @Test
    void shouldRejectLabelsOverTheirTotalBoundNamingThem() {
        final StringBuilder labels = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            labels.append(i == 0 ? "" : ",")
                    .append("\"k")
                    .append(i)
                    .append("\":\"")
                    .append("v".repeat(1000))
                    .append('"');
        }
        rejects(Reason.TOO_LARGE, "labels are ", minimal("\"labels\":{" + labels + "}"));
    }

    /** A record under 64 KiB whose reportData grows when written back: "1E9" is 3 bytes, 1.0E9 five. */
    @Test
    void shouldRejectReportDataOverItsBoundAsWrittenNamingIt() {
        final String numbers = String.join(",", java.util.Collections.nCopies(14_000, "1E9"));
        rejects(Reason.TOO_LARGE, "reportData is ", minimal("\"reportData\":{\"n\":[" + numbers + "]}"));
    }
}
