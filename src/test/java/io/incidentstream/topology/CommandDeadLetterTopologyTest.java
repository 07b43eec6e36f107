package io.incidentstream.topology;

import static io.incidentstream.topology.TopologyFixture.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.model.Status;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code incident-commands} is open to any producer: what is not a command goes to the DLQ, and the stream goes on. */
class CommandDeadLetterTopologyTest {
    private static final String AT = "\"at\":\"2026-01-01T00:00:00Z\"";

    private final CommandFixture c = new CommandFixture();
    private final TopologyFixture f = c.f;

    @AfterEach
    void close() {
        c.close();
    }

    private static String header(final Headers headers, final String name) {
        final Header h = headers.lastHeader(name);
        assertNotNull(h, "header " + name);
        return new String(h.value(), StandardCharsets.UTF_8);
    }

    /** A description and the raw value. */
    static Stream<Arguments> poison() {
        return Stream.of(
                Arguments.of("not JSON", utf8("{this is not json")),
                Arguments.of("empty bytes", new byte[0]),
                Arguments.of("null value", null),
                Arguments.of("JSON null", utf8("null")),
                Arguments.of("array", utf8("[]")),
                Arguments.of("missing commandId", utf8("{\"kind\":\"CREATE\",\"tenantId\":\"acme\"," + AT + "}")),
                Arguments.of("missing kind", utf8("{\"commandId\":\"x\",\"tenantId\":\"acme\"," + AT + "}")),
                Arguments.of(
                        "unknown kind",
                        utf8("{\"commandId\":\"x\",\"kind\":\"PURGE\",\"tenantId\":\"acme\"," + AT + "}")),
                Arguments.of("missing tenantId", utf8("{\"commandId\":\"x\",\"kind\":\"CREATE\"," + AT + "}")),
                Arguments.of("missing at", utf8("{\"commandId\":\"x\",\"kind\":\"CREATE\",\"tenantId\":\"acme\"}")),
                Arguments.of(
                        "update without incidentId",
                        utf8("{\"commandId\":\"x\",\"kind\":\"UPDATE\",\"tenantId\":\"acme\"," + AT
                                + ",\"status\":\"RESOLVED\"}")),
                Arguments.of(
                        "bad status",
                        utf8(
                                "{\"commandId\":\"x\",\"kind\":\"UPDATE\",\"tenantId\":\"acme\",\"incidentId\":\"incident.0.1\","
                                        + AT + ",\"status\":\"MAYBE\"}")),
                Arguments.of(
                        "bad time",
                        utf8(
                                "{\"commandId\":\"x\",\"kind\":\"CREATE\",\"tenantId\":\"acme\",\"at\":\"last tuesday\"}")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("poison")
    void shouldSendPoisonCommandToDlqAndApplyTheNextOne(final String what, final byte[] value) {
        final byte[] key = utf8("incident.0.1");
        final Headers headers = new RecordHeaders().add("trace-id", utf8("t-9"));
        c.commands.pipeInput(new TestRecord<>(key, value, headers, TopologyFixture.START));
        c.send(CommandFixture.create("good", 0, null));

        final TestRecord<byte[], byte[]> letter = f.dlq.readRecord();
        assertArrayEquals(key, letter.key());
        assertArrayEquals(value, letter.value());
        assertEquals("bad-command", header(letter.headers(), Topics.HEADER_REASON));
        assertEquals(Topics.INCIDENT_COMMANDS, header(letter.headers(), Topics.HEADER_SOURCE_TOPIC));
        assertEquals("0", header(letter.headers(), Topics.HEADER_SOURCE_OFFSET));
        assertFalse(header(letter.headers(), Topics.HEADER_ERROR).isBlank());
        assertEquals("t-9", header(letter.headers(), "trace-id"));
        assertTrue(f.dlq.isEmpty());
        assertEquals(1.0, f.counter("commands.dlq"));

        assertEquals(201, c.result("good").status());
        assertEquals(Status.ACTIVE, f.incidents.readValue().status());
        assertTrue(f.incidents.isEmpty(), "the poison record wrote no state");
        assertEquals(1, f.events.readValuesToList().size());
    }

    @Test
    void shouldCountCommandDeadLettersApartFromAlertDeadLetters() {
        c.commands.pipeInput(utf8("k"), utf8("nope"));
        c.commands.pipeInput(utf8("k"), utf8("also nope"));
        f.alerts.pipeInput(utf8("acme/cpu"), utf8("nope"));
        final List<TestRecord<byte[], byte[]>> dead = f.dlq.readRecordsToList();
        assertEquals(3, dead.size());
        assertEquals(
                List.of(Topics.INCIDENT_COMMANDS, Topics.INCIDENT_COMMANDS, Topics.ALERTS),
                dead.stream()
                        .map(r -> header(r.headers(), Topics.HEADER_SOURCE_TOPIC))
                        .toList());
        assertEquals(
                List.of("0", "1", "0"),
                dead.stream()
                        .map(r -> header(r.headers(), Topics.HEADER_SOURCE_OFFSET))
                        .toList());
        assertEquals(2.0, f.counter("commands.dlq"));
        assertEquals(
                1.0,
                f.registry.get("alerts.dlq").counters().stream()
                        .mapToDouble(m -> m.count())
                        .sum());
    }

    @Test
    void shouldApplyHandWrittenMinimalCommandWithoutOptionalFields() {
        c.commands.pipeInput(
                utf8("hand"),
                utf8("{\"commandId\":\"hand\",\"kind\":\"CREATE\",\"tenantId\":\"acme\"," + AT
                        + ",\"title\":\"by curl\"}"));
        assertTrue(
                f.dlq.isEmpty(),
                () -> "dead letter: " + header(f.dlq.readRecord().headers(), Topics.HEADER_ERROR));
        assertEquals(201, c.result("hand").status());
        assertEquals("by curl", f.incidents.readValue().title());
    }

    @Test
    void shouldNotSendValidCommandsToDlq() {
        c.send(CommandFixture.create("c1", 0, null));
        c.send(CommandFixture.status("c2", c.result("c1").incidentId(), 5, Status.RESOLVED, null));
        c.send(CommandFixture.status("c3", "incident.0.404", 5, Status.RESOLVED, null));
        assertTrue(f.dlq.isEmpty(), "a refused command is answered, not dead-lettered");
        assertEquals(0.0, f.counter("commands.dlq"));
    }
}
