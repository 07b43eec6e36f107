package io.incidentstream.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.codec.Json;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentHeaders;
import io.incidentstream.model.MemberAlert;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Source;
import io.incidentstream.model.Status;
import io.incidentstream.model.TimelineEntry;
import io.incidentstream.query.StreamEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** What the live stream makes of a record of {@code incidents}: the incident as list pages show it. */
class KafkaChangeFeedTest {
    private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

    private static Incident plain() {
        return new Incident.Builder()
                .id("incident.2.7")
                .tenantId("acme")
                .alertId("disk-full")
                .alertVersion(1)
                .alertTemplateId("disk-full")
                .status(Status.ACTIVE)
                .severity(Severity.HIGH)
                .title("disk full")
                .source(Source.AUTOMATED)
                .createdAt(T)
                .updatedAt(T)
                .lastCheckedAt(T)
                .validUntil(T.plusSeconds(300))
                .alertCount(1)
                .labels(Map.of("host", "db-1"))
                .build();
    }

    private static ConsumerRecord<String, byte[]> record(final Incident incident) throws Exception {
        return new ConsumerRecord<>(
                "incidents", 2, 41L, incident.id(), Json.mapper().writeValueAsBytes(incident));
    }

    @Test
    void shouldSendAnIncidentWithoutItsTimelineAndMembersAsListPagesShowIt() throws Exception {
        final Incident grouped = plain().toBuilder()
                .timeline(List.of(new TimelineEntry(T, null, Status.ACTIVE, TimelineEntry.SOURCE_ALERT, null, null)))
                .groupKey("acme/host/{host=\"db-1\"}")
                .groupLabels(Map.of("host", "db-1"))
                .ruleId("host")
                .memberCount(1L)
                .lastJoinedAt(T)
                .alerts(List.of(new MemberAlert(
                        "disk-full", MemberAlert.State.FIRING, Severity.HIGH, Map.of(), T, T, T, "host")))
                .build();

        final StreamEvent e = KafkaChangeFeed.event(record(grouped));

        assertEquals(grouped.withoutTimeline(), e.incident());
        assertEquals(Json.mapper().writeValueAsString(grouped.withoutTimeline()), e.json());
        assertFalse(e.json().contains("\"timeline\""), e.json());
        assertFalse(e.json().contains("\"alerts\""), e.json());
        assertTrue(e.json().contains("\"memberCount\":1"), "the group's fields stay: " + e.json());
        assertEquals(2, e.partition());
        assertEquals(41L, e.offset());
    }

    @Test
    void shouldSendTheRecordsOwnTextWhenThereIsNothingToLeaveOut() throws Exception {
        final ConsumerRecord<String, byte[]> r = record(plain());
        assertEquals(
                new String(r.value(), StandardCharsets.UTF_8),
                KafkaChangeFeed.event(r).json());
    }

    @Test
    void shouldTurnATombstoneIntoADeletionOfTheHeadersTenantAndSkipWhatItCannotRead() {
        final ConsumerRecord<String, byte[]> tombstone = new ConsumerRecord<>("incidents", 0, 3L, "incident.0.1", null);
        tombstone.headers().add(IncidentHeaders.TENANT, "acme".getBytes(StandardCharsets.UTF_8));
        final StreamEvent deleted = KafkaChangeFeed.event(tombstone);
        assertTrue(deleted.deleted());
        assertEquals("acme", deleted.tenant());

        assertNull(KafkaChangeFeed.event(
                new ConsumerRecord<>("incidents", 0, 4L, "x", "{not json".getBytes(StandardCharsets.UTF_8))));
    }
}
