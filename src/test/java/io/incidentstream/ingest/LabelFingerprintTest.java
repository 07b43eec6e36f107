package io.incidentstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelFingerprintTest {

    @Test
    void shouldEqualTheFingerprintAlertmanagerSentForTheSameLabels() {
        // fingerprints reported by prometheus-alertmanager 0.25.0 (webhook capture and GET /api/v2/alerts)
        assertEquals(
                "efb0c6c488e007da",
                LabelFingerprint.of(Map.of("alertname", "DiskFull", "instance", "db1:9100", "severity", "critical")));
        assertEquals(
                "f0582941594a7b46",
                LabelFingerprint.of(Map.of(
                        "alertname",
                        "ProbeFailure",
                        "instance",
                        "https://server.example.org",
                        "job",
                        "http_checks",
                        "severity",
                        "critical")));
    }

    @Test
    void shouldNotDependOnTheOrderTheLabelsCameIn() {
        final Map<String, String> forward = new LinkedHashMap<>();
        forward.put("a", "1");
        forward.put("b", "2");
        final Map<String, String> backward = new LinkedHashMap<>();
        backward.put("b", "2");
        backward.put("a", "1");
        assertEquals(LabelFingerprint.of(forward), LabelFingerprint.of(backward));
    }

    @Test
    void shouldSeparateNamesFromValues() {
        assertNotEquals(LabelFingerprint.of(Map.of("ab", "c")), LabelFingerprint.of(Map.of("a", "bc")));
        assertNotEquals(LabelFingerprint.of(Map.of("a", "1")), LabelFingerprint.of(Map.of("a", "2")));
    }

    @Test
    void shouldGiveTheEmptySetTheFnvOffsetBasisAsPrometheusDoes() {
        assertEquals("cbf29ce484222325", LabelFingerprint.of(Map.of()));
    }
}
