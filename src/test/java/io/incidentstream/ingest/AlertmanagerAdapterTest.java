package io.incidentstream.ingest;

import static io.incidentstream.ingest.Payloads.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.errors.InvalidAlertException;
import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.AlertStatus;
import io.incidentstream.model.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The Alertmanager webhook and API v2 mappings, on payloads captured from the real programs. */
class AlertmanagerAdapterTest {
    static final Duration TTL = Duration.ofMinutes(5);
    static final Instant RECEIVED = Instant.parse("2026-11-25T16:38:00Z");

    private final AlertmanagerAdapter adapter = new AlertmanagerAdapter(new AlertDecoder(TTL));

    private AlertEvent onlyWebhookEvent(final String body, final Instant receivedAt) {
        final List<AlertEvent> events = adapter.fromWebhook(bytes(body), receivedAt);
        assertEquals(1, events.size());
        return events.get(0);
    }

    @Test
    void shouldMapAFiringWebhookAlertCheckedAtItsReceiveTime() {
        final AlertEvent event = onlyWebhookEvent(Payloads.captured("alertmanager-0.25-webhook-firing.json"), RECEIVED);
        assertEquals("efb0c6c488e007da", event.alertId());
        assertEquals(AlertStatus.FIRING, event.status());
        assertEquals(RECEIVED, event.checkedAt(), "a re-notification must be a new check, so not startsAt");
        assertEquals(RECEIVED.plus(TTL), event.validUntil(), "zero endsAt: INCIDENT_TTL from receipt");
        assertEquals(Severity.CRITICAL, event.severity());
        assertEquals("DiskFull", event.alertTemplateId());
        assertEquals("Disk on db1 above 95%", event.title());
        assertNull(event.description());
        assertEquals(Map.of("alertname", "DiskFull", "instance", "db1:9100", "severity", "critical"), event.labels());
        assertEquals(AlertEvent.DEFAULT_TENANT, event.tenantId());
        final JsonNode data = event.reportData();
        assertEquals("alertmanager-webhook", data.get("receivedVia").asText());
        assertEquals("2026-11-25T16:37:52.677361597Z", data.get("startsAt").asText());
        assertFalse(data.has("endsAt"), "Go's zero time means no endsAt");
        assertEquals(
                "https://runbooks.example.org/disk",
                data.at("/annotations/runbook_url").asText());
        assertEquals(
                "http://prometheus.example.org/graph", data.get("generatorURL").asText());
        assertEquals("incident-stream", data.get("receiver").asText());
        assertEquals("{}:{alertname=\"DiskFull\"}", data.get("groupKey").asText());
        assertEquals("http://vm:19093", data.get("externalURL").asText());
    }

    @Test
    void shouldResolveAtTheReceiveTimeAndKeepEndsAtInReportData() {
        final AlertEvent event =
                onlyWebhookEvent(Payloads.captured("alertmanager-0.25-webhook-resolved.json"), RECEIVED);
        assertEquals("efb0c6c488e007da", event.alertId());
        assertEquals(AlertStatus.RESOLVED, event.status());
        assertEquals(RECEIVED, event.checkedAt());
        assertEquals("2026-11-25T16:37:55Z", event.reportData().get("endsAt").asText());
    }

    @Test
    void shouldMapTheSharedWebhookExampleAndIgnoreUnknownFields() {
        final AlertEvent event = onlyWebhookEvent(Payloads.sharedExample("alertmanager-webhook-v4.json"), RECEIVED);
        assertEquals("1a30ba71cca2921f", event.alertId(), "the sender's fingerprint is the alertId");
        assertEquals("ProbeFailure", event.alertTemplateId());
        assertEquals(Severity.CRITICAL, event.severity());
        assertEquals("BlackBox Probe Failure: https://server.example.org", event.title());
        assertEquals("https://server.example.org", event.labels().get("instance"));
    }

    @Test
    void shouldFingerprintTheLabelsWhenTheWebhookCarriesNoFingerprint() {
        final String body = """
            {"receiver": "r", "status": "firing", "version": "4", "alerts": [{"status": "firing",
              "labels": {"alertname": "Test", "dc": "eu-west-1", "instance": "localhost:9090"},
              "annotations": {"description": "some description"},
              "startsAt": "2018-08-03T09:52:26.739266876+02:00", "endsAt": "0001-01-01T00:00:00Z"}]}""";
        final AlertEvent event = onlyWebhookEvent(body, RECEIVED);
        assertEquals(LabelFingerprint.of(event.labels()), event.alertId());
        assertEquals("some description", event.title(), "description when there is no summary");
        assertEquals("some description", event.description());
        assertEquals(
                "2018-08-03T07:52:26.739266876Z",
                event.reportData().get("startsAt").asText());
    }

    @Test
    void shouldGiveAnAlertTheSameIdFromPrometheusDirectlyAsThroughAlertmanager() {
        final String labels = "{\"alertname\": \"DiskFull\", \"instance\": \"db1:9100\", \"severity\": \"critical\"}";
        final AlertEvent direct = adapter.fromApi(bytes("[{\"labels\": " + labels + "}]"), RECEIVED)
                .get(0);
        final AlertEvent relayed =
                onlyWebhookEvent(Payloads.captured("alertmanager-0.25-webhook-firing.json"), RECEIVED);
        assertEquals(relayed.alertId(), direct.alertId());
    }

    @Test
    void shouldFallBackToTheAlertNameAsTitle() {
        final AlertEvent event = onlyWebhookEvent(
                webhook("{\"status\": \"firing\", \"labels\": {\"alertname\": \"NoText\"}}"), RECEIVED);
        assertEquals("NoText", event.title());
    }

    @Test
    void shouldCutAnOverlongSummaryInsteadOfLosingTheAlert() {
        final String summary = "x".repeat(5000);
        final AlertEvent event = onlyWebhookEvent(
                webhook("{\"status\": \"firing\", \"labels\": {\"alertname\": \"Long\"}, "
                        + "\"annotations\": {\"summary\": \"" + summary + "\"}}"),
                RECEIVED);
        assertEquals(AlertDecoder.MAX_TITLE_LENGTH, event.title().length());
        assertTrue(event.title().endsWith("…"));
        assertEquals(
                summary, event.reportData().at("/annotations/summary").asText(), "the full text stays in reportData");
    }

    @ParameterizedTest(name = "severity {0} → {1}")
    @CsvSource({
        "critical,CRITICAL",
        "Page,CRITICAL",
        "P1,CRITICAL",
        "error,HIGH",
        "high,HIGH",
        "major,HIGH",
        "warning,MEDIUM",
        "WARN,MEDIUM",
        "medium,MEDIUM",
        "minor,MEDIUM",
        "info,LOW",
        "low,LOW",
        "none,LOW",
        "debug,LOW",
        "whatever,MEDIUM"
    })
    void shouldNormaliseTheSeverityLabel(final String label, final Severity expected) {
        final AlertEvent event = onlyWebhookEvent(
                webhook("{\"status\": \"firing\", \"labels\": {\"alertname\": \"S\", " + "\"severity\": \"" + label
                        + "\"}}"),
                RECEIVED);
        assertEquals(expected, event.severity());
        assertEquals(label, event.labels().get("severity"), "the original value stays in the labels");
    }

    @Test
    void shouldDefaultAMissingSeverityToMedium() {
        assertEquals(
                Severity.MEDIUM,
                onlyWebhookEvent(webhook("{\"status\": \"firing\", \"labels\": {\"alertname\": \"S\"}}"), RECEIVED)
                        .severity());
    }

    @Test
    void shouldUseAFutureEndsAtOfAFiringWebhookAlertAsValidUntil() {
        final AlertEvent event = onlyWebhookEvent(
                webhook("{\"status\": \"firing\", \"labels\": {\"alertname\": \"E\"}, "
                        + "\"endsAt\": \"2026-11-25T17:00:00Z\"}"),
                RECEIVED);
        assertEquals(Instant.parse("2026-11-25T17:00:00Z"), event.validUntil());
    }

    @Test
    void shouldMapPrometheusPostableAlertsWithTheirEndsAtAsValidUntil() {
        final Instant received = Instant.parse("2026-11-25T16:37:57.600Z");
        final List<AlertEvent> events =
                adapter.fromApi(bytes(Payloads.captured("prometheus-2.42-postable-alerts.json")), received);
        assertEquals(1, events.size());
        final AlertEvent event = events.get(0);
        assertEquals("2dc6ade02cfdd11b", event.alertId(), "Alertmanager's fingerprint of the label set");
        assertEquals(AlertStatus.FIRING, event.status());
        assertEquals(received, event.checkedAt());
        assertEquals(Instant.parse("2026-11-25T16:38:01.591Z"), event.validUntil());
        assertEquals("AlwaysFiring", event.alertTemplateId());
        assertEquals(Severity.MEDIUM, event.severity());
        assertEquals("It always fires", event.title());
        assertEquals("vector(1) > 0 holds", event.description());
        assertEquals("test", event.labels().get("cluster"));
        assertEquals(
                "alertmanager-api-v2", event.reportData().get("receivedVia").asText());
        assertEquals(
                "2026-11-25T16:37:51.591Z", event.reportData().get("startsAt").asText());
    }

    @Test
    void shouldResolveAPostableAlertWhoseEndsAtHasPassed() {
        final String body = "[{\"labels\": {\"alertname\": \"Gone\"}, \"startsAt\": \"2026-11-25T16:00:00Z\", "
                + "\"endsAt\": \"2026-11-25T16:37:59Z\"}]";
        final AlertEvent event = adapter.fromApi(bytes(body), RECEIVED).get(0);
        assertEquals(AlertStatus.RESOLVED, event.status());
        assertEquals(RECEIVED, event.checkedAt());
        assertEquals(
                AlertStatus.RESOLVED,
                adapter.fromApi(bytes(body.replace("16:37:59Z", "16:38:00Z")), RECEIVED)
                        .get(0)
                        .status(),
                "endsAt equal to now is resolved, as in Alertmanager");
    }

    @Test
    void shouldGiveAPostableAlertWithoutEndsAtTheIncidentTtl() {
        final AlertEvent event = adapter.fromApi(bytes("[{\"labels\": {\"alertname\": \"Open\"}}]"), RECEIVED)
                .get(0);
        assertEquals(AlertStatus.FIRING, event.status());
        assertEquals(RECEIVED.plus(TTL), event.validUntil());
    }

    @Test
    void shouldAcceptAnEmptyBatch() {
        assertEquals(List.of(), adapter.fromApi(bytes("[]"), RECEIVED));
        assertEquals(List.of(), adapter.fromWebhook(bytes("{\"alerts\": []}"), RECEIVED));
    }

    @Test
    void shouldRejectTheWholeBatchWhenOneAlertIsBad() {
        final String body =
                "[{\"labels\": {\"alertname\": \"Good\"}}, {\"labels\": {\"alertname\": \"Bad\"}, \"endsAt\": \"soon\"}]";
        final InvalidAlertException e =
                assertThrows(InvalidAlertException.class, () -> adapter.fromApi(bytes(body), RECEIVED));
        assertTrue(e.getMessage().startsWith("alerts[1]"), e.getMessage());
        assertTrue(e.getMessage().contains("endsAt"), e.getMessage());
    }

    @ParameterizedTest(name = "webhook [{0}]")
    @ValueSource(
            strings = {
                "",
                "not json",
                "[]",
                "{}",
                "{\"alerts\": {}}",
                "{\"alerts\": [42]}",
                "{\"alerts\": [{\"labels\": {\"alertname\": \"X\"}}]}",
                "{\"alerts\": [{\"status\": \"burning\", \"labels\": {\"alertname\": \"X\"}}]}",
                "{\"alerts\": [{\"status\": \"firing\", \"labels\": {\"alertname\": 42}}]}",
                "{\"alerts\": [{\"status\": \"firing\", \"labels\": {}}]}",
                "{\"alerts\": [{\"status\": \"firing\", \"labels\": {\"alertname\": \"X\"}, \"startsAt\": \"2026-11-25T16:00:00\"}]}",
                "{\"alerts\": [{\"status\": \"firing\", \"labels\": {\"alertname\": \"X\"}, \"annotations\": [\"a\"]}]}",
                "{\"alerts\": [{\"status\": \"resolved\", \"labels\": {\"alertname\": \"X\"}, \"startsAt\": \"2026-11-25T16:00:00Z\", "
                        + "\"endsAt\": \"2026-11-25T15:00:00Z\"}]}",
                "{\"alerts\": [{\"status\": \"firing\", \"fingerprint\": 7, \"labels\": {\"alertname\": \"X\"}}]}"
            })
    void shouldRejectAMalformedWebhook(final String body) {
        assertThrows(InvalidAlertException.class, () -> adapter.fromWebhook(bytes(body), RECEIVED));
    }

    @ParameterizedTest(name = "api [{0}]")
    @ValueSource(
            strings = {
                "",
                "{}",
                "[{}]",
                "[{\"labels\": {}}]",
                "[{\"labels\": {\"a\": \"b\"}, \"startsAt\": 1764000000}]",
                "[{\"labels\": {\"a\": \"b\"}, \"generatorURL\": 5}]"
            })
    void shouldRejectMalformedPostableAlerts(final String body) {
        assertThrows(InvalidAlertException.class, () -> adapter.fromApi(bytes(body), RECEIVED));
    }

    @Test
    void shouldRefuseMoreAlertsThanTheCapInOneRequest() {
        final String alert = "{\"labels\": {\"alertname\": \"Many\"}}";
        final String body =
                "[" + String.join(",", Collections.nCopies(AlertmanagerAdapter.MAX_ALERTS + 1, alert)) + "]";
        final InvalidAlertException e =
                assertThrows(InvalidAlertException.class, () -> adapter.fromApi(bytes(body), RECEIVED));
        assertEquals(InvalidAlertException.Reason.TOO_LARGE, e.reason());
        final String atCap = "[" + String.join(",", Collections.nCopies(AlertmanagerAdapter.MAX_ALERTS, alert)) + "]";
        assertEquals(
                AlertmanagerAdapter.MAX_ALERTS,
                adapter.fromApi(bytes(atCap), RECEIVED).size());
    }

    @Test
    void shouldApplyTheNativeLabelLimits() {
        final StringBuilder labels = new StringBuilder("{\"alertname\": \"Wide\"");
        for (int i = 0; i < AlertDecoder.MAX_LABELS; i++) {
            labels.append(", \"l").append(i).append("\": \"v\"");
        }
        final String body = webhook("{\"status\": \"firing\", \"labels\": " + labels + "}}");
        final InvalidAlertException e =
                assertThrows(InvalidAlertException.class, () -> adapter.fromWebhook(bytes(body), RECEIVED));
        assertEquals(InvalidAlertException.Reason.TOO_LARGE, e.reason());
        assertTrue(e.getMessage().startsWith("alerts[0]: labels"), e.getMessage());
    }

    @Test
    void shouldRefuseAnAlertLargerThanANativeAlertMayBe() {
        final String body = webhook("{\"status\": \"firing\", \"labels\": {\"alertname\": \"Huge\"}, "
                + "\"annotations\": {\"runbook\": \"" + "r".repeat(AlertDecoder.MAX_ALERT_BYTES) + "\"}}");
        final InvalidAlertException e =
                assertThrows(InvalidAlertException.class, () -> adapter.fromWebhook(bytes(body), RECEIVED));
        assertEquals(InvalidAlertException.Reason.TOO_LARGE, e.reason());
    }

    private static String webhook(final String alert) {
        return "{\"receiver\": \"r\", \"status\": \"firing\", \"version\": \"4\", \"alerts\": [" + alert + "]}";
    }
}
