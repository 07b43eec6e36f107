package io.incidentstream.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test parser reads what Micrometer's Prometheus registry really writes, escapes included. */
class PrometheusTextTest {

    @Test
    void shouldParseLabelsWithEscapesAndSpecialValues() {
        final PrometheusText text = PrometheusText.parse("""
            # HELP x_total help
            # TYPE x_total counter
            x_total{a="1",b="quote \\" and \\\\ and \\n"} 3.0
            y NaN
            z{le="+Inf"} +Inf 1700000000000
            """);
        assertEquals(
                Map.of("a", "1", "b", "quote \" and \\ and \n"),
                text.samples().get(0).labels());
        assertEquals(3.0, text.value("x_total", "a", "1"));
        assertTrue(Double.isNaN(text.value("y")));
        assertEquals(Double.POSITIVE_INFINITY, text.value("z", "le", "+Inf"));
    }

    @Test
    void shouldRefuseGarbage() {
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("not a sample line at all"));
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("x{a=1} 2"));
    }

    @Test
    void shouldReadARealScrape() {
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter.builder("alerts.consumed")
                .tag("outcome", "opened")
                .register(registry)
                .increment(2);
        Counter.builder("alerts.consumed")
                .tag("outcome", "folded")
                .register(registry)
                .increment(5);
        final PrometheusText text = PrometheusText.parse(registry.scrape());
        assertEquals(2.0, text.value("alerts_consumed_total", "outcome", "opened"));
        assertEquals(7.0, text.sum("alerts_consumed_total"));
        assertThrows(AssertionError.class, () -> text.value("alerts_consumed_total"), "two samples match");
        registry.close();
    }
}
