package io.incidentstream.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.incidentstream.model.Incident;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Source;
import io.incidentstream.model.Status;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class UnsilencedNotificationTest {
    private static final Instant T = Instant.parse("2026-12-03T10:00:00Z");

    static Incident incident(final String id) {
        return new Incident.Builder()
                .id(id)
                .tenantId("acme")
                .alertId("disk-" + id)
                .alertVersion(1)
                .status(Status.ACTIVE)
                .severity(Severity.HIGH)
                .source(Source.AUTOMATED)
                .createdAt(T.minusSeconds(600))
                .updatedAt(T.minusSeconds(60))
                .lastCheckedAt(T.minusSeconds(60))
                .validUntil(T.plusSeconds(240))
                .labels(Map.of("service", "db"))
                .build();
    }

    @Test
    void shouldOwnAnIncidentOnThePartitionItsEventsGoTo() {
        for (String id : new String[] {"incident.0.1a", "incident.5.ff01", "x"}) {
            assertEquals(
                    BuiltInPartitioner.partitionForKey(id.getBytes(StandardCharsets.UTF_8), 6),
                    EventConsumer.partitionOf(id, 6),
                    id);
        }
    }

    @Test
    void shouldGiveTheSameWebhookIdToTheSameEndingAndAnotherToTheNextWindow() {
        final Incident i = incident("incident.0.1a");
        final String first = EventConsumer.unsilencedWebhookId(new Unsilenced.Unsilencing("s1", T, i));
        assertEquals("incident.0.1a:unsilenced:s1:" + T.toEpochMilli(), first);
        assertEquals(first, EventConsumer.unsilencedWebhookId(new Unsilenced.Unsilencing("s1", T, i)));
        assertFalse(first.equals(
                EventConsumer.unsilencedWebhookId(new Unsilenced.Unsilencing("s1", T.plusSeconds(86_400), i))));
    }

    @Test
    void shouldSendTheIncidentAsTheApiShowsItWithTheSilenceThatEnded() {
        final Delivery d = new Delivery(
                "dlv_1",
                "incident.0.1a:unsilenced:s1:1",
                "acme",
                "wh_1",
                "unsilenced",
                T,
                incident("incident.0.1a"),
                0,
                null,
                null,
                T,
                "s1");
        final ObjectNode body = Payloads.standard(d);
        assertEquals("incident.unsilenced", body.get("type").asText());
        assertEquals("s1", body.get("silenceId").asText());
        assertEquals(T.toString(), body.get("timestamp").asText());
        assertFalse(body.at("/data/silenced").asBoolean(true), "sent only when nothing mutes it");
        assertTrue(body.at("/data/silencedBy").isArray());
        assertEquals(0, body.at("/data/silencedBy").size());
        assertTrue(EventTypes.ALL.contains("unsilenced"), "a subscription may ask for it");
    }
}
