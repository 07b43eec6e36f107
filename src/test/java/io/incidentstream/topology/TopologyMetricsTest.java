package io.incidentstream.topology;

import static io.incidentstream.topology.TopologyFixture.at;
import static io.incidentstream.topology.TopologyFixture.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.incidentstream.metrics.PrometheusText;
import io.incidentstream.model.Incident;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Status;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The topology's meters, read the way Prometheus reads them: a scrape of a Prometheus registry,
 * parsed. A known sequence of alerts must move each counter and gauge by exactly its amount.
 */
class TopologyMetricsTest {
    private static final Instant FAR = at(86_400);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final TopologyFixture f = new TopologyFixture(Map.of(), registry);

    @AfterEach
    void close() {
        f.close();
        registry.close();
    }

    private PrometheusText scrape() {
        return PrometheusText.parse(registry.scrape());
    }

    private void send(
            final String alertId,
            final String status,
            final Instant checkedAt,
            final String severity,
            final Instant validUntil) {
        f.alerts.pipeInput(
                utf8("acme/" + alertId),
                utf8("{\"tenantId\":\"acme\",\"alertId\":\"" + alertId + "\",\"status\":\""
                        + status + "\",\"checkedAt\":\"" + checkedAt + "\",\"severity\":\"" + severity
                        + "\",\"validUntil\":\""
                        + validUntil + "\"}"));
    }

    @Test
    void shouldMoveDomainMetersByExactlyTheKnownSequence() {
        send("a", "FIRING", at(0), "low", FAR); // opened: low/active 1
        send("a", "FIRING", at(10), "critical", FAR); // folded: escalates to critical
        send("a", "FIRING", at(5), "low", FAR); // out of order
        send("a", "FIRING", at(10), "critical", FAR); // same check twice
        send("a", "RESOLVED", at(20), "critical", FAR); // resolved
        send("a", "FIRING", at(30), "high", FAR); // reopened within the flap window, now high
        send("b", "FIRING", at(0), "medium", at(30)); // opened, expires at 30 s
        send("c", "RESOLVED", at(0), "low", FAR); // nothing open
        f.alerts.pipeInput(utf8("x"), utf8("{not json"));
        f.alerts.pipeInput(utf8("x"), utf8("[1]"));
        f.advance(Duration.ofSeconds(31));
        send("d", "FIRING", at(1), "low", FAR); // 30 s behind the wall clock

        final PrometheusText m = scrape();
        final Map<String, Double> outcomes = Map.of(
                "opened",
                3.0,
                "folded",
                1.0,
                "ignored-out-of-order",
                1.0,
                "ignored-duplicate",
                1.0,
                "resolved",
                1.0,
                "reopened",
                1.0,
                "ignored-not-open",
                1.0,
                "dlq",
                2.0);
        outcomes.forEach(
                (outcome, n) -> assertEquals(n, m.value("alerts_consumed_total", "outcome", outcome), outcome));
        assertEquals(11.0, m.sum("alerts_consumed_total"), "every record has exactly one outcome");
        assertEquals(1.0, m.value("alerts_dlq_total", "reason", "not-json"));
        assertEquals(1.0, m.value("alerts_dlq_total", "reason", "not-object"));
        assertEquals(2.0, m.sum("alerts_dlq_total"));

        assertEquals(3.0, m.value("incidents_opened_total"));
        assertEquals(1.0, m.value("incidents_reopened_total"));
        assertEquals(1.0, m.value("incidents_resolved_total"));
        assertEquals(1.0, m.value("incidents_expired_total"));
        assertEquals(0.0, m.value("incidents_acknowledged_total"));

        assertEquals(1.0, m.value("incidents_open", "severity", "high", "status", "active"), "a, reopened as high");
        assertEquals(1.0, m.value("incidents_open", "severity", "low", "status", "active"), "d");
        assertEquals(2.0, m.sum("incidents_open"), "b expired, c never opened");

        assertEquals(9.0, m.value("alerts_event_lag_seconds_count"), "every decoded event");
        assertEquals(
                30.0,
                m.value("alerts_event_lag_seconds_sum"),
                1e-9,
                "only d lags; earlier ones are ahead of the clock (0)");
        assertEquals(8.0, m.value("alerts_event_lag_seconds_bucket", "le", "15.0"));
        assertEquals(9.0, m.value("alerts_event_lag_seconds_bucket", "le", "30.0"));
        assertEquals(true, m.value("incidents_expiry_sweep_seconds_count") >= 1.0, "the sweep ran");
        assertEquals(
                1.0,
                m.value("incidents_index_rebuild_seconds_count"),
                "the task started without a clean close: one rebuild");
    }

    @Test
    void shouldRecordTimeToAcknowledgeAndResolveByWhoClosed() {
        final var commands = f.driver.createInputTopic(
                Topics.INCIDENT_COMMANDS,
                org.apache.kafka.common.serialization.Serdes.ByteArray().serializer(),
                org.apache.kafka.common.serialization.Serdes.ByteArray().serializer());
        send("a", "FIRING", at(0), "high", FAR);
        send("a", "RESOLVED", at(20), "high", FAR); // closed by its alert after 20 s
        send("b", "FIRING", at(0), "low", at(30)); // expires once the wall clock passes 30 s
        send("c", "FIRING", at(0), "critical", FAR);
        final String c = f.incidents.readValuesToList().stream()
                .filter(i -> "c".equals(i.alertId()))
                .findFirst()
                .orElseThrow()
                .id();
        commands.pipeInput(utf8(c), CommandFixture.json(CommandFixture.status("k1", c, 90, Status.ACKNOWLEDGED, null)));
        commands.pipeInput(utf8(c), CommandFixture.json(CommandFixture.status("k2", c, 600, Status.RESOLVED, null)));
        f.advance(Duration.ofSeconds(31));

        final PrometheusText m = scrape();
        assertEquals(1.0, m.value("incidents_time_to_acknowledge_seconds_count"));
        assertEquals(90.0, m.value("incidents_time_to_acknowledge_seconds_sum"), 1e-9);
        assertEquals(1.0, m.value("incidents_time_to_acknowledge_seconds_bucket", "le", "120.0"));
        assertEquals(0.0, m.value("incidents_time_to_acknowledge_seconds_bucket", "le", "60.0"));
        assertEquals(600.0, m.value("incidents_time_to_resolve_seconds_sum", "closed_by", "person"), 1e-9);
        assertEquals(20.0, m.value("incidents_time_to_resolve_seconds_sum", "closed_by", "alert"), 1e-9);
        assertEquals(1.0, m.value("incidents_time_to_resolve_seconds_count", "closed_by", "expiry"));
        assertEquals(3.0, m.sum("incidents_time_to_resolve_seconds_count"), "one close each, no tenant label");
    }

    @Test
    void shouldDropThePartitionFromTheGaugesWhenItsTaskCloses() {
        send("a", "FIRING", at(0), "critical", FAR);
        assertEquals(1.0, scrape().value("incidents_open", "severity", "critical", "status", "active"));
        f.close(); // the task is closed as on revocation
        assertEquals(0.0, scrape().sum("incidents_open"));
    }

    @Test
    void shouldKeepGaugesEqualToTheStoreThroughARandomHistory() {
        final Random random = new Random(42);
        final String[] severities = {"critical", "high", "medium", "low"};
        final Map<String, Integer> clock = new HashMap<>();
        for (int n = 0; n < 3_000; n++) {
            final String alert = "a" + random.nextInt(60);
            final int last = clock.getOrDefault(alert, 0);
            final int t = random.nextInt(10) == 0 ? Math.max(0, last - 5) : last + 1 + random.nextInt(120);
            clock.put(alert, Math.max(last, t));
            final String status = random.nextInt(4) == 0 ? "RESOLVED" : "FIRING";
            send(alert, status, at(t), severities[random.nextInt(4)], at(t + 30 + random.nextInt(600)));
            if (n % 100 == 99) {
                f.advance(Duration.ofSeconds(random.nextInt(300)));
            }
        }
        final Map<String, Long> expected = new HashMap<>();
        for (KeyValue<String, Incident> kv : TopologyFixture.all(f.incidentStore())) {
            if (kv.value.status().isOpen()) {
                expected.merge(
                        kv.value.severity().json() + "/"
                                + kv.value.status().name().toLowerCase(Locale.ROOT),
                        1L,
                        Long::sum);
            }
        }
        final PrometheusText m = scrape();
        for (Severity severity : Severity.values()) {
            for (Status status : new Status[] {Status.ACTIVE, Status.ACKNOWLEDGED}) {
                final String key = severity.json() + "/" + status.name().toLowerCase(Locale.ROOT);
                assertEquals(
                        expected.getOrDefault(key, 0L).doubleValue(),
                        m.value(
                                "incidents_open",
                                "severity",
                                severity.json(),
                                "status",
                                status.name().toLowerCase(Locale.ROOT)),
                        key);
            }
        }
    }
}
