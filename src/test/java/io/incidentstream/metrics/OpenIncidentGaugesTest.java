package io.incidentstream.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.incidentstream.model.Incident;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Source;
import io.incidentstream.model.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Per-partition counts: moved by saves, replaced on re-assignment, gone on release. */
class OpenIncidentGaugesTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final OpenIncidentGauges gauges = new OpenIncidentGauges(registry);

    private double open(final String severity, final String status) {
        return registry.get("incidents.open")
                .tag("severity", severity)
                .tag("status", status)
                .gauge()
                .value();
    }

    private static Incident incident(final String id, final Severity severity, final Status status) {
        final Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new Incident.Builder()
                .id(id)
                .tenantId("t")
                .alertId("a-" + id)
                .status(status)
                .severity(severity)
                .source(Source.AUTOMATED)
                .createdAt(t)
                .updatedAt(t)
                .lastCheckedAt(t)
                .validUntil(t.plusSeconds(60))
                .build();
    }

    @Test
    void shouldRegisterEverySeverityAndOpenStatusAtZero() {
        assertEquals(8, registry.find("incidents.open").gauges().size());
        assertEquals(0.0, open("critical", "acknowledged"));
    }

    @Test
    void shouldMoveCountsOnSeverityChangeAndClose() {
        final OpenIncidentGauges.PartitionCounts p = gauges.assign(0);
        final Incident opened = incident("i1", Severity.LOW, Status.ACTIVE);
        p.move(null, opened);
        assertEquals(1.0, open("low", "active"));
        final Incident escalated =
                opened.toBuilder().severity(Severity.CRITICAL).build();
        p.move(opened, escalated);
        assertEquals(0.0, open("low", "active"));
        assertEquals(1.0, open("critical", "active"));
        final Incident acknowledged =
                escalated.toBuilder().status(Status.ACKNOWLEDGED).build();
        p.move(escalated, acknowledged);
        assertEquals(0.0, open("critical", "active"));
        assertEquals(1.0, open("critical", "acknowledged"));
        p.move(acknowledged, acknowledged.toBuilder().status(Status.RESOLVED).build());
        assertEquals(0.0, open("critical", "acknowledged"));
    }

    @Test
    void shouldUncountADeletedOpenIncident() {
        final OpenIncidentGauges.PartitionCounts p = gauges.assign(0);
        final Incident open = incident("i1", Severity.HIGH, Status.ACKNOWLEDGED);
        p.move(null, open);
        p.move(open, null);
        assertEquals(0.0, open("high", "acknowledged"));
    }

    @Test
    void shouldNeverCountClosedIncidents() {
        final OpenIncidentGauges.PartitionCounts p = gauges.assign(0);
        p.move(null, incident("i1", Severity.HIGH, Status.EXPIRED));
        p.move(null, incident("i2", Severity.HIGH, Status.RESOLVED));
        registry.find("incidents.open")
                .gauges()
                .forEach(g -> assertEquals(0.0, g.value(), g.getId().toString()));
    }

    @Test
    void shouldSumPartitionsAndDropARevokedOne() {
        gauges.assign(0).move(null, incident("i1", Severity.HIGH, Status.ACTIVE));
        final OpenIncidentGauges.PartitionCounts p1 = gauges.assign(1);
        p1.move(null, incident("i2", Severity.HIGH, Status.ACTIVE));
        p1.move(null, incident("i3", Severity.HIGH, Status.ACTIVE));
        assertEquals(3.0, open("high", "active"));
        gauges.release(1, p1);
        assertEquals(1.0, open("high", "active"), "a revoked partition's incidents leave the gauge");
    }

    @Test
    void shouldStartAfreshWhenAPartitionIsAssignedAgain() {
        final OpenIncidentGauges.PartitionCounts first = gauges.assign(2);
        first.move(null, incident("i1", Severity.MEDIUM, Status.ACTIVE));
        first.move(null, incident("i2", Severity.MEDIUM, Status.ACTIVE));
        final OpenIncidentGauges.PartitionCounts second = gauges.assign(2);
        second.move(null, incident("i1", Severity.MEDIUM, Status.ACTIVE));
        assertEquals(
                1.0, open("medium", "active"), "re-initialised from the restored store, not added to the old count");
        gauges.release(2, first);
        assertEquals(1.0, open("medium", "active"), "a late close of the old task must not drop the new one's counts");
        gauges.release(2, second);
        assertEquals(0.0, open("medium", "active"));
    }
}
