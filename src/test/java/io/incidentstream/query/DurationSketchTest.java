package io.incidentstream.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonMappingException;
import io.incidentstream.codec.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DurationSketchTest {

    /** Durations from 1 s to a week, log-uniform: the spread response times have. */
    private static List<Duration> durations(final int n, final long seed) {
        final Random random = new Random(seed);
        final List<Duration> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Duration.ofMillis((long) Math.exp(Math.log(1000) + random.nextDouble() * Math.log(604_800.0))));
        }
        return out;
    }

    private static Duration exact(final List<Duration> values, final double q) {
        final List<Duration> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((int) Math.max(0, Math.ceil(q * sorted.size()) - 1));
    }

    @Test
    void shouldReportQuantilesWithinTheDocumentedRelativeError() {
        final List<Duration> values = durations(5000, 7);
        final DurationSketch sketch = new DurationSketch();
        values.forEach(sketch::add);
        for (double q : new double[] {0.5, 0.9, 0.99}) {
            final double want = exact(values, q).toNanos();
            final double got = sketch.quantile(q).toNanos();
            assertTrue(
                    Math.abs(got - want) / want <= DurationSketch.RELATIVE_ERROR_PERCENT / 100,
                    "q" + q + ": " + got + " vs " + want);
        }
        assertEquals(5000, sketch.count());
    }

    @Test
    void shouldMergeInstancesExactlyAsIfOneHadCountedEverything() {
        final List<Duration> values = durations(3001, 11);
        final DurationSketch whole = new DurationSketch();
        final DurationSketch a = new DurationSketch();
        final DurationSketch b = new DurationSketch();
        for (int i = 0; i < values.size(); i++) {
            whole.add(values.get(i));
            (i % 3 == 0 ? a : b).add(values.get(i));
        }
        a.merge(b);
        assertEquals(whole.toJson(), a.toJson());
        assertEquals(whole.quantile(0.9), a.quantile(0.9));
    }

    @Test
    void shouldTravelBetweenInstancesAsSparseJson() throws Exception {
        final DurationSketch sketch = new DurationSketch();
        sketch.add(Duration.ofSeconds(90));
        sketch.add(Duration.ofSeconds(90));
        sketch.add(Duration.ofHours(2));
        final String json = Json.mapper().writeValueAsString(sketch);
        assertEquals(2, Json.mapper().readTree(json).size(), "only the non-empty buckets");
        final DurationSketch back = Json.mapper().readValue(json, DurationSketch.class);
        assertEquals(3, back.count());
        assertEquals(sketch.quantile(0.5), back.quantile(0.5));
        assertThrows(JsonMappingException.class, () -> Json.mapper().readValue("{\"9999\":1}", DurationSketch.class));
        assertThrows(JsonMappingException.class, () -> Json.mapper().readValue("{\"3\":-1}", DurationSketch.class));
    }

    @Test
    void shouldHaveNoQuantileWhenEmptyAndClampNegativeAndHugeDurations() {
        final DurationSketch sketch = new DurationSketch();
        assertNull(sketch.quantile(0.5));
        sketch.add(Duration.ofSeconds(-5));
        assertTrue(sketch.quantile(0.5).toMillis() < 1, "a negative duration counts as zero");
        sketch.add(Duration.ofDays(365 * 100));
        assertTrue(sketch.quantile(1.0).toDays() > 365, "the last bucket holds everything beyond");
    }
}
