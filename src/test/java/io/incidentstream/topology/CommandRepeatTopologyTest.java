package io.incidentstream.topology;

import static io.incidentstream.topology.CommandFixture.delete;
import static io.incidentstream.topology.CommandFixture.status;
import static io.incidentstream.topology.TopologyFixture.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.model.CommandFingerprint;
import io.incidentstream.model.CommandResult;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentCommand;
import io.incidentstream.model.Status;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A command id is applied once: a redelivered command (producer retry, API retry with the same
 * Idempotency-Key) changes nothing and keeps its first answer, until results are forgotten after
 * an hour so the result store does not grow forever.
 */
class CommandRepeatTopologyTest {
    private final CommandFixture c = new CommandFixture();
    private final TopologyFixture f = c.f;

    @AfterEach
    void close() {
        c.close();
    }

    private List<KeyValue<Bytes, byte[]>> indexSnapshot() {
        return f.indexEntries();
    }

    @Test
    void shouldCreateOnlyOneIncidentWhenCreateIsRepeated() {
        final String id = c.created("c1", null);
        final CommandResult first = c.result("c1");
        c.send(CommandFixture.create("c1", 0, null));
        assertTrue(c.noOutput());
        assertEquals(first, c.result("c1"));
        assertEquals(1, TopologyFixture.all(f.incidentStore()).size());
        assertNotNull(c.stored(id));
        assertEquals(f.indexKeysOf(c.stored(id)).size(), indexSnapshot().size());
    }

    @Test
    void shouldKeepTheFirstRequestsResultWhenItsIdComesBackWithAnotherBody() {
        c.created("c1", null);
        final CommandResult first = c.result("c1");
        final IncidentCommand otherBody = CommandFixture.create("c1", 5, Status.ACKNOWLEDGED);
        c.send(otherBody);
        assertTrue(c.noOutput(), "the other body is not applied");
        assertEquals(first, c.result("c1"));
        assertEquals(1, TopologyFixture.all(f.incidentStore()).size());
        assertTrue(first.answers(CommandFixture.create("c1", 0, null)), "the first request, retried, gets its result");
        assertFalse(first.answers(otherBody), "the result records the request it answers");
    }

    @Test
    void shouldNotReapplyUpdateRepeatedAfterLaterCommands() {
        final String id = c.created("c1", null);
        c.send(status("c2", id, 10, Status.ACKNOWLEDGED, "mine"));
        c.send(status("c3", id, 20, Status.ACTIVE, "not mine"));
        c.drain();
        final Incident before = c.stored(id);
        final List<KeyValue<Bytes, byte[]>> index = indexSnapshot();
        c.send(status("c2", id, 10, Status.ACKNOWLEDGED, "mine"));
        assertTrue(c.noOutput());
        assertEquals(before, c.stored(id));
        assertEquals(Status.ACTIVE, c.stored(id).status());
        assertEquals(3, c.stored(id).timeline().size());
        assertEquals(index.size(), indexSnapshot().size());
        assertEquals(
                new CommandResult(
                        "c2",
                        id,
                        200,
                        "updated",
                        at(10),
                        CommandFingerprint.of(status("c2", id, 10, Status.ACKNOWLEDGED, "mine"))),
                c.result("c2"));
    }

    @Test
    void shouldNotAddRepeatedNoteTwiceNorTouchAlertCount() {
        final Incident open = c.automated();
        c.send(status("c1", open.id(), 10, null, "looking"));
        c.drain();
        final Incident noted = f.latest("cpu");
        c.send(status("c1", open.id(), 10, null, "looking"));
        assertTrue(c.noOutput());
        assertEquals(noted, f.latest("cpu"));
        assertEquals(2, noted.timeline().size());
        assertEquals(1, noted.alertCount());
    }

    @Test
    void shouldKeepFirstRefusalWhenRefusedCommandIsRepeated() {
        final String id = c.created("c1", null);
        c.send(status("c2", id, 10, Status.RESOLVED, null));
        c.send(status("c3", id, 20, Status.ACKNOWLEDGED, null));
        c.send(status("c4", id, 30, Status.ACTIVE, null));
        c.drain();
        assertEquals(409, c.result("c3").status());
        c.send(status("c3", id, 20, Status.ACKNOWLEDGED, null));
        assertTrue(c.noOutput(), "the repeat of a refused command is not applied now that it would be allowed");
        assertEquals(Status.ACTIVE, c.stored(id).status());
        assertEquals(409, c.result("c3").status());
    }

    @Test
    void shouldAnswerRepeatedDeleteWithItsFirstResultAndNoSecondTombstone() {
        final String id = c.created("c1", null);
        c.send(delete("c2", id, 10));
        c.drain();
        c.send(delete("c2", id, 10));
        assertTrue(c.noOutput());
        assertEquals(
                new CommandResult("c2", id, 204, "deleted", at(10), CommandFingerprint.of(delete("c2", id, 10))),
                c.result("c2"));
    }

    @Test
    void shouldStillApplyNewCommandWithSameContentButNewId() {
        final String id = c.created("c1", null);
        c.send(status("c2", id, 10, null, "ping"));
        c.send(status("c3", id, 10, null, "ping"));
        assertEquals(2, f.events.readValuesToList().size());
        assertEquals(3, c.stored(id).timeline().size());
    }

    @Test
    void shouldForgetCommandResultsOlderThanAnHour() {
        c.created("c1", null);
        final IncidentCommand recent = status("c2", c.result("c1").incidentId(), 1800, null, "later");
        c.send(recent);
        f.advance(Duration.ofMinutes(60));
        assertNotNull(c.result("c1"), "kept for a full hour");
        f.advance(Duration.ofSeconds(2));
        assertNull(c.result("c1"));
        assertNotNull(c.result("c2"));
        assertEquals(2, TopologyFixture.all(c.resultStore()).size(), "result and time index of c2 only");
        f.advance(Duration.ofMinutes(30));
        assertNull(c.result("c2"));
        assertTrue(TopologyFixture.all(c.resultStore()).isEmpty(), "nothing left behind");
    }

    @Test
    void shouldForgetManyResultsAcrossTicks() {
        final String id = c.created("c0", null);
        for (int n = 1; n <= 50; n++) {
            c.send(status("n" + n, id, n, null, "note " + n));
        }
        c.drain();
        assertEquals(102, TopologyFixture.all(c.resultStore()).size());
        f.advance(Duration.ofHours(2));
        assertTrue(TopologyFixture.all(c.resultStore()).isEmpty());
        assertEquals(
                Incident.TIMELINE_LIMIT, c.stored(id).timeline().size(), "forgetting results never touches incidents");
    }
}
