package io.incidentstream.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.model.IncidentEvent;
import io.incidentstream.model.Status;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a subscriber hears a record of {@code incident-events} called, and which subscriptions hear it. */
class EventTypesTest {
    private static IncidentEvent event(final String type, final Status from, final Status to) {
        return new IncidentEvent("incident.1.a", "acme", "a", type, Instant.EPOCH, from, to, "alert", null, null, null);
    }

    @Test
    void shouldNameEveryTransitionOfTheTopologyAndTheApi() {
        assertEquals("opened", EventTypes.of(event("opened", null, Status.ACTIVE)));
        assertEquals("opened", EventTypes.of(event("created", null, Status.ACTIVE)));
        assertEquals("joined", EventTypes.of(event("joined", Status.ACTIVE, Status.ACTIVE)));
        assertEquals("updated", EventTypes.of(event("member-resolved", Status.ACTIVE, Status.ACTIVE)));
        assertEquals("updated", EventTypes.of(event("member-expired", Status.ACKNOWLEDGED, Status.ACKNOWLEDGED)));
        assertEquals("acknowledged", EventTypes.of(event("updated", Status.ACTIVE, Status.ACKNOWLEDGED)));
        assertEquals("reopened", EventTypes.of(event("updated", Status.RESOLVED, Status.ACTIVE)));
        assertNull(EventTypes.of(event("purged", Status.RESOLVED, null)), "a retention purge is no news");
    }

    @Test
    void shouldSendEveryTypeToTheWildcardAndOnlyTheChosenOnesOtherwise() {
        for (String type : EventTypes.ALL) {
            assertTrue(EventTypes.wanted(List.of(EventTypes.EVERY), type), type);
        }
        assertTrue(EventTypes.wanted(List.of(EventTypes.EVERY), "a-type-of-a-later-version"));
        assertTrue(EventTypes.wanted(List.of("joined", "resolved"), "joined"));
        assertFalse(EventTypes.wanted(List.of("opened", "resolved"), "joined"));
    }
}
