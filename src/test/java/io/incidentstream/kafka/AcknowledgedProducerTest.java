package io.incidentstream.kafka;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.errors.UnavailableException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The deadline is per call, not per record: with no broker at the bootstrap address every send
 * waits for metadata that never comes, and a batch still answers within the timeout and a slice.
 */
class AcknowledgedProducerTest {
    private static final Duration TIMEOUT = Duration.ofMillis(1500);
    private static final Duration SLACK = AcknowledgedProducer.BLOCK_SLICE.plusMillis(500);

    @Test
    void shouldGiveUpOnABatchOfAThousandWithinTheTimeoutWhenNoBrokerAnswers() throws IOException {
        final String nowhere = "127.0.0.1:" + closedPort();
        try (AcknowledgedProducer producer =
                new AcknowledgedProducer(KafkaConnection.plain(nowhere), TIMEOUT, "test", 0)) {
            final long started = System.nanoTime();
            final UnavailableException e = assertThrows(
                    UnavailableException.class, () -> producer.sendAll(records(1000), "the alerts", "retry"));
            final long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();

            assertTrue(millis >= TIMEOUT.toMillis(), "waited the whole timeout, not less: " + millis + " ms");
            assertTrue(millis <= TIMEOUT.plus(SLACK).toMillis(), "answered in " + millis + " ms");
            assertFalse(e.getMessage().contains(nowhere), "the client message names no broker: " + e.getMessage());
            assertTrue(e.retryAfter().toSeconds() >= 1, "a Retry-After");
        }
    }

    @Test
    void shouldGiveUpOnOneRecordWithinTheTimeoutWhenNoBrokerAnswers() throws IOException {
        try (AcknowledgedProducer producer =
                new AcknowledgedProducer(KafkaConnection.plain("127.0.0.1:" + closedPort()), TIMEOUT, "test", 0)) {
            final long started = System.nanoTime();
            assertThrows(UnavailableException.class, () -> producer.sendAll(records(1), "the change", "retry"));
            final long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            assertTrue(millis <= TIMEOUT.plus(SLACK).toMillis(), "answered in " + millis + " ms");
        }
    }

    private static List<ProducerRecord<String, byte[]>> records(final int n) {
        final List<ProducerRecord<String, byte[]>> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            records.add(new ProducerRecord<>(
                    "alerts", "default/a-" + i, ("{\"alertId\":\"a-" + i + "\"}").getBytes(StandardCharsets.UTF_8)));
        }
        return records;
    }

    /** A loopback port nothing listens on: connections are refused, as to a killed broker. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
