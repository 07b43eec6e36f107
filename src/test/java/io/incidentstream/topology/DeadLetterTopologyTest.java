package io.incidentstream.topology;

import static io.incidentstream.topology.TopologyFixture.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.ingest.AlertDecoder;
import io.incidentstream.model.Incident;
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

/** Poison records reach {@code alerts-dlq} with reason and origin in headers; the stream keeps going. */
class DeadLetterTopologyTest {
    private static final String GOOD_CHECKED_AT = "\"checkedAt\":\"2026-01-01T00:00:00Z\"";

    private final TopologyFixture f = new TopologyFixture();

    @AfterEach
    void close() {
        f.close();
    }

    private static String body(final String members) {
        return "{" + members + "}";
    }

    /** reason code, a word the dlq.error header must contain, the raw value. */
    static Stream<Arguments> poison() {
        final String ok = "\"alertId\":\"cpu\",\"status\":\"FIRING\"," + GOOD_CHECKED_AT;
        return Stream.of(
                Arguments.of("not-json", "JSON", utf8("{this is not json")),
                Arguments.of("not-json", "empty", new byte[0]),
                Arguments.of("not-json", "empty", null),
                Arguments.of("not-object", "object", utf8("[" + body(ok) + "]")),
                Arguments.of("not-object", "object", utf8("\"just a string\"")),
                Arguments.of("missing-field", "alertId", utf8(body("\"status\":\"FIRING\"," + GOOD_CHECKED_AT))),
                Arguments.of("missing-field", "status", utf8(body("\"alertId\":\"cpu\"," + GOOD_CHECKED_AT))),
                Arguments.of("missing-field", "checkedAt", utf8(body("\"alertId\":\"cpu\",\"status\":\"FIRING\""))),
                Arguments.of("wrong-type", "alertId", utf8(body(ok + ",\"alertId\":17"))),
                Arguments.of("bad-enum", "status", utf8(body(ok + ",\"status\":\"MAYBE\""))),
                Arguments.of("bad-enum", "severity", utf8(body(ok + ",\"severity\":\"apocalyptic\""))),
                Arguments.of("bad-timestamp", "checkedAt", utf8(body(ok + ",\"checkedAt\":\"last tuesday\""))),
                Arguments.of("bad-timestamp", "checkedAt", utf8(body(ok + ",\"checkedAt\":1767225600"))),
                Arguments.of("bad-value", "validUntil", utf8(body(ok + ",\"validUntil\":\"2025-01-01T00:00:00Z\""))),
                Arguments.of(
                        "too-large",
                        String.valueOf(AlertDecoder.MAX_ALERT_BYTES),
                        utf8(body(ok + ",\"pad\":\"" + "x".repeat(AlertDecoder.MAX_ALERT_BYTES) + "\""))),
                Arguments.of("wrong-type", "labels", utf8(body(ok + ",\"labels\":{\"port\":8080}"))),
                Arguments.of("bad-value", "tenantId", utf8(body(ok + ",\"tenantId\":\"a/b\""))),
                Arguments.of("wrong-type", "reportData", utf8(body(ok + ",\"reportData\":[1]"))),
                Arguments.of(
                        "not-json", "JSON", utf8(body(ok + ",\"reportData\":" + "[".repeat(100) + "]".repeat(100)))),
                Arguments.of("not-json", "JSON", new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, 0x00}));
    }

    private static String header(final Headers headers, final String name) {
        final Header h = headers.lastHeader(name);
        assertNotNull(h, "header " + name);
        return new String(h.value(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "[{index}] {0} naming {1}")
    @MethodSource("poison")
    void shouldSendPoisonRecordToDlqAndKeepProcessing(final String reason, final String named, final byte[] value) {
        final byte[] key = utf8("acme/cpu");
        final Headers headers = new RecordHeaders().add("trace-id", utf8("t-1"));
        f.alerts.pipeInput(new TestRecord<>(key, value, headers, TopologyFixture.START));
        f.firing("cpu", 0);

        final List<TestRecord<byte[], byte[]>> dead = f.dlq.readRecordsToList();
        assertEquals(1, dead.size());
        final TestRecord<byte[], byte[]> letter = dead.get(0);
        assertArrayEquals(key, letter.key());
        assertArrayEquals(value, letter.value());
        assertEquals(reason, header(letter.headers(), Topics.HEADER_REASON));
        final String error = header(letter.headers(), Topics.HEADER_ERROR);
        assertTrue(error.contains(named), "dlq.error should name " + named + ": " + error);
        assertEquals(Topics.ALERTS, header(letter.headers(), Topics.HEADER_SOURCE_TOPIC));
        assertEquals("0", header(letter.headers(), Topics.HEADER_SOURCE_PARTITION));
        assertEquals("0", header(letter.headers(), Topics.HEADER_SOURCE_OFFSET));
        assertEquals("t-1", header(letter.headers(), "trace-id"));

        final Incident next = f.incidents.readValue();
        assertEquals(Status.ACTIVE, next.status());
        assertEquals("cpu", next.alertId());
        assertTrue(f.incidents.isEmpty());
        assertEquals(1, f.events.readValuesToList().size());
        assertEquals(1.0, f.counter("alerts.dlq", "reason", reason));
        assertEquals(1.0, f.counter("alerts.consumed", "outcome", "opened"));
    }

    @Test
    void shouldCountDeadLettersPerReasonAndRecordEachOffset() {
        f.alerts.pipeInput(utf8("k"), utf8("nope"));
        f.firing("cpu", 0);
        f.alerts.pipeInput(utf8("k"), utf8("[]"));
        f.alerts.pipeInput(utf8("k"), utf8("also nope"));
        final List<TestRecord<byte[], byte[]>> dead = f.dlq.readRecordsToList();
        assertEquals(3, dead.size());
        assertEquals(
                List.of("0", "2", "3"),
                dead.stream()
                        .map(r -> header(r.headers(), Topics.HEADER_SOURCE_OFFSET))
                        .toList());
        assertEquals(2.0, f.counter("alerts.dlq", "reason", "not-json"));
        assertEquals(1.0, f.counter("alerts.dlq", "reason", "not-object"));
        assertEquals(0.0, f.counter("alerts.dlq", "reason", "missing-field"));
        assertEquals(1, TopologyFixture.all(f.incidentStore()).size());
    }

    @Test
    void shouldNotSendValidAlertsToDlq() {
        f.sendWithKey(null, "acme", "cpu", "FIRING", TopologyFixture.at(0), null);
        f.firing("disk", 0);
        assertTrue(f.dlq.isEmpty());
        assertEquals(
                0.0,
                f.registry.get("alerts.dlq").counters().stream()
                        .mapToDouble(c -> c.count())
                        .sum());
    }
}
