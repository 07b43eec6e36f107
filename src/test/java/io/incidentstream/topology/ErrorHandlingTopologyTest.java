package io.incidentstream.topology;

import static io.incidentstream.topology.TopologyFixture.at;
import static io.incidentstream.topology.TopologyFixture.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.model.Status;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The exception handlers in the topology as deployed ({@link ErrorHandling}): records that would
 * have stopped the stream thread become dead letters and the next record is processed as usual.
 */
class ErrorHandlingTopologyTest {
    private final TopologyFixture f = new TopologyFixture();

    @AfterEach
    void close() {
        f.close();
    }

    private static String header(final Headers headers, final String name) {
        return headers.lastHeader(name) == null
                ? null
                : new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /**
     * A poison record just under Kafka's 1 MiB is a dead letter of the decoder; with the original
     * bytes and headers it would be too large to write in turn. The guard refuses it before the
     * producer, and a dead letter without the value takes its place.
     */
    @Test
    void shouldDeadLetterAPoisonRecordTooLargeToCopyWithoutItsValueAndGoOn() {
        final byte[] huge = new byte[900 * 1024];
        java.util.Arrays.fill(huge, (byte) 'x');
        f.alerts.pipeInput(utf8("acme/huge"), huge);
        f.firing("cpu", 10);

        final TestRecord<byte[], byte[]> dead = f.dlq.readRecord();
        assertNull(dead.value(), "the value is left out");
        assertArrayEquals(utf8("acme/huge"), dead.key());
        assertEquals("record-too-large", header(dead.headers(), Topics.HEADER_REASON));
        assertEquals(Topics.ALERTS_DLQ, header(dead.headers(), Topics.HEADER_TARGET_TOPIC));
        assertEquals(Topics.ALERTS, header(dead.headers(), Topics.HEADER_SOURCE_TOPIC));
        assertEquals("0", header(dead.headers(), Topics.HEADER_SOURCE_OFFSET));
        assertTrue(header(dead.headers(), Topics.HEADER_ERROR).contains("more than the 524288"));
        assertTrue(f.dlq.isEmpty());
        assertEquals(1, f.counter("streams.dlq", "reason", "record-too-large"));

        assertEquals(Status.ACTIVE, f.latest("cpu").status(), "the next alert folds");
        assertEquals(at(10), f.incidents.readValue().createdAt());
    }

    /** The re-key topic is internal, but writable by anyone the broker lets: Kafka's default would stop on it. */
    @Test
    void shouldDeadLetterARecordOnTheRekeyTopicThatCannotBeReadAndGoOn() {
        final var rekey = f.driver.createInputTopic(
                f.applicationId + "-" + Topics.REKEY + "-repartition",
                Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer());
        rekey.pipeInput(utf8("acme/x"), utf8("{not an alert"));
        f.firing("cpu", 10);

        final TestRecord<byte[], byte[]> dead = f.dlq.readRecord();
        assertEquals("not-deserializable", header(dead.headers(), Topics.HEADER_REASON));
        assertArrayEquals(utf8("{not an alert"), dead.value(), "the original bytes");
        assertEquals(1, f.counter("streams.dlq", "reason", "not-deserializable"));
        assertNotNull(f.latest("cpu"), "the next alert folds");
    }
}
