package io.incidentstream.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.codec.Json;
import io.incidentstream.ingest.AlertDecoder;
import io.incidentstream.model.AlertEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark harness at tiny sizes, in a few seconds: the generated alert set is what the
 * issue asks for, percentiles are right, the expiry scenario runs the real punctuation, and the
 * summary line has the exact shape scripts parse. The benchmark itself is never a timed test.
 */
class BenchSmokeTest {
    private static final Instant BASE = Instant.parse("2026-06-01T00:00:00Z");

    @TempDir
    Path work;

    @Test
    void shouldGenerateTenPercentDistinctAlertsOfAbout400BytesWithResolvedAndLateEvents() throws Exception {
        final AlertSet set = AlertSet.ingest(5_000, BASE, Duration.ofHours(4));
        final AlertDecoder decoder = new AlertDecoder(Duration.ofMinutes(5));
        final Set<String> ids = new HashSet<>();
        long bytes = 0;
        int resolved = 0;
        int late = 0;
        final java.util.Map<String, Instant> last = new java.util.HashMap<>();
        for (long i = 0; i < set.size(); i++) {
            final AlertSet.Event e = set.event(i);
            final String json = e.nativeJson();
            final AlertEvent decoded = decoder.decode(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(
                    AlertSet.TENANT + "/" + decoded.alertId(),
                    new String(e.key(), java.nio.charset.StandardCharsets.UTF_8));
            ids.add(e.alertId());
            bytes += json.length();
            resolved += "RESOLVED".equals(e.status()) ? 1 : 0;
            final Instant previous = last.put(e.alertId(), e.checkedAt());
            late += previous != null && e.checkedAt().isBefore(previous) ? 1 : 0;
            final JsonNode am = Json.mapper().readTree(e.alertmanagerJson());
            assertEquals(e.alertId(), am.get("labels").get("alertname").asText());
        }
        assertEquals(500, ids.size(), "10% distinct alert ids");
        final long mean = bytes / set.size();
        assertTrue(mean > 350 && mean < 450, "about 400 bytes, was " + mean);
        assertTrue(resolved > 350 && resolved < 650, "about 10% RESOLVED, was " + resolved);
        assertTrue(late > 30 && late < 250, "some out of order, was " + late);
    }

    @Test
    void shouldGiveNearestRankPercentiles() {
        final Latencies l = new Latencies();
        for (int i = 1; i <= 100; i++) {
            l.add(i);
        }
        assertEquals(50, l.p50());
        assertEquals(99, l.p99());
    }

    @Test
    void shouldExpireExactlyTheDueIncidentsAtEachSweepInBothStores() throws Exception {
        final List<ExpiryScenario.Result> results = ExpiryScenario.run(300, 500, 3, 50, work);
        for (ExpiryScenario.Result r : results) {
            assertEquals(3, r.sweeps().size());
            r.sweeps().forEach(s -> assertEquals(50, s.expired()));
            assertTrue(r.medianTimerMs() > 0);
        }
    }

    @Test
    void shouldEndWithTheSummaryLineInItsExactShape() {
        final Report report = new Report(Bench.Sizes.quick(), "bench/run.sh --quick");
        final String line = report.benchLine();
        assertTrue(
                line.matches("BENCH ingest_ratio=\\S+ ingest_per_s=\\S+ passthrough_per_s=\\S+ list_first_p99_ms=\\S+ "
                        + "list_deep_p99_ms=\\S+ deep_first_ratio=\\S+ filtered_p99_ms=\\S+ expiry_ratio=\\S+ rss_mb=\\S+ incidents=\\S+ "
                        + "am_ingest_ratio=\\S+ am_list_ratio=\\S+ label_p99_ms=\\S+ label_deep_p99_ms=\\S+ "
                        + "label_regex_p99_ms=\\S+ floor_per_s=\\S+ floor_ratio=\\S+ floor_json_per_s=\\S+ "
                        + "floor_ratio_ceiling=\\S+ live_ingest_ratio=\\S+ "
                        + "live_ingest_per_s=\\S+ live_delay_p99_ms=\\S+ live_drops=\\S+ notify_ingest_ratio=\\S+ "
                        + "notify_ingest_per_s=\\S+ notify_delay_p99_ms=\\S+ grouped_ingest_ratio=\\S+ "
                        + "grouped_list_p99_ms=\\S+ grouped_list_ratio=\\S+ grouped_floor_ratio=\\S+ "
                        + "grouped_ratio_ceiling=\\S+"),
                line);
        assertTrue(report.markdown().contains(line));
    }

    @Test
    void shouldSortProfileFramesIntoComponents() {
        assertEquals("Jackson (JSON)", JfrProfile.componentOf("com.fasterxml.jackson.core.json.UTF8JsonGenerator"));
        assertEquals("RocksDB (JNI)", JfrProfile.componentOf("org.rocksdb.RocksDB"));
        assertEquals("incident-stream code", JfrProfile.componentOf("io.incidentstream.store.IndexKeys"));
    }
}
