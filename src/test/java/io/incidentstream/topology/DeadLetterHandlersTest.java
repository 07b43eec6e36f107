package io.incidentstream.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.metrics.IncidentMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** What each exception handler decides, and that the dead letters it makes are bounded. */
class DeadLetterHandlersTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Map<String, Object> configs = Map.of(ErrorHandling.METRICS_CONFIG, new IncidentMetrics(registry));

    /** The record being processed when something failed: {@code topic} null in a punctuation. */
    private static final class Context implements ErrorHandlerContext {
        private final String topic;
        private final byte[] sourceRawKey;
        private final byte[] sourceRawValue;
        private final Headers headers;

        Context(final String topic, final byte[] sourceRawKey, final byte[] sourceRawValue, final Headers headers) {
            this.topic = topic;
            this.sourceRawKey = sourceRawKey;
            this.sourceRawValue = sourceRawValue;
            this.headers = headers;
        }

        @Override
        public String topic() {
            return topic;
        }

        @Override
        public byte[] sourceRawKey() {
            return sourceRawKey;
        }

        @Override
        public byte[] sourceRawValue() {
            return sourceRawValue;
        }

        @Override
        public Headers headers() {
            return headers;
        }

        @Override
        public int partition() {
            return topic == null ? -1 : 3;
        }

        @Override
        public long offset() {
            return topic == null ? -1 : 42;
        }

        @Override
        public String processorNodeId() {
            return "incident-processor";
        }

        @Override
        public TaskId taskId() {
            return new TaskId(1, 3);
        }

        @Override
        public long timestamp() {
            return 1_000;
        }
    }

    private static byte[] utf8(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(final ProducerRecord<byte[], byte[]> r, final String name) {
        return r.headers().lastHeader(name) == null
                ? null
                : new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private double counted(final String reason) {
        return registry.get("streams.dlq").tag("reason", reason).counter().count();
    }

    private static Context input() {
        final Headers headers = new RecordHeaders();
        headers.add("trace", utf8("t-1"));
        return new Context("incident-commands", utf8("incident.3.k"), utf8("{\"kind\":\"UPDATE\"}"), headers);
    }

    private DeadLetterProcessingHandler processing() {
        final DeadLetterProcessingHandler handler = new DeadLetterProcessingHandler();
        handler.configure(configs);
        return handler;
    }

    private DeadLetterProductionHandler production() {
        final DeadLetterProductionHandler handler = new DeadLetterProductionHandler();
        handler.configure(configs);
        return handler;
    }

    @Test
    void shouldDeadLetterTheInputRecordOurCodeFailedOnAndResume() {
        final ProcessingExceptionHandler.Response response =
                processing().handleError(input(), new Record<>("k", "v", 1_000), new IllegalStateException("a bug"));
        assertEquals(ProcessingExceptionHandler.Result.RESUME, response.result());
        final ProducerRecord<byte[], byte[]> dead =
                response.deadLetterQueueRecords().get(0);
        assertEquals(Topics.ALERTS_DLQ, dead.topic());
        assertArrayEquals(utf8("incident.3.k"), dead.key());
        assertArrayEquals(utf8("{\"kind\":\"UPDATE\"}"), dead.value(), "the original bytes, to replay");
        assertEquals("processing-error", header(dead, Topics.HEADER_REASON));
        assertEquals("java.lang.IllegalStateException: a bug", header(dead, Topics.HEADER_ERROR));
        assertEquals("incident-commands", header(dead, Topics.HEADER_SOURCE_TOPIC));
        assertEquals("3", header(dead, Topics.HEADER_SOURCE_PARTITION));
        assertEquals("42", header(dead, Topics.HEADER_SOURCE_OFFSET));
        assertEquals("incident-processor", header(dead, Topics.HEADER_PROCESSOR));
        assertEquals("t-1", header(dead, "trace"), "the original headers are kept");
        assertEquals(1_000L, dead.timestamp());
        assertEquals(1, counted("processing-error"));
    }

    @Test
    void shouldFailOnKafkasOwnFailuresRatherThanDeadLetterEveryRecord() {
        assertEquals(
                ProcessingExceptionHandler.Result.FAIL,
                processing()
                        .handleError(input(), new Record<>("k", "v", 0), new StreamsException("store closed"))
                        .result());
        assertEquals(0, counted("processing-error"));
    }

    @Test
    void shouldResumeAfterAFailedPunctuationWithNothingToDeadLetter() {
        final ProcessingExceptionHandler.Response response = processing()
                .handleError(
                        new Context(null, null, null, new RecordHeaders()),
                        null,
                        new IllegalArgumentException("sweep"));
        assertEquals(ProcessingExceptionHandler.Result.RESUME, response.result());
        assertEquals(List.of(), response.deadLetterQueueRecords());
        assertEquals(1, counted("processing-error"));
    }

    @Test
    void shouldDeadLetterAnOutputRecordTheGuardRefusedWithoutItsValue() {
        final ProductionExceptionHandler.Response response = production()
                .handleSerializationError(
                        input(),
                        new ProducerRecord<>(Topics.INCIDENTS, "incident.3.k", new Object()),
                        new RecordTooLargeException("too large"),
                        ProductionExceptionHandler.SerializationExceptionOrigin.VALUE);
        assertEquals(ProductionExceptionHandler.Result.RESUME, response.result());
        final ProducerRecord<byte[], byte[]> dead =
                response.deadLetterQueueRecords().get(0);
        assertArrayEquals(utf8("incident.3.k"), dead.key());
        assertNull(dead.value());
        assertEquals("record-too-large", header(dead, Topics.HEADER_REASON));
        assertEquals(Topics.INCIDENTS, header(dead, Topics.HEADER_TARGET_TOPIC));
        assertEquals(1, counted("record-too-large"));

        final ProductionExceptionHandler.Response other = production()
                .handleSerializationError(
                        input(),
                        new ProducerRecord<>(Topics.INCIDENTS, "incident.3.k", new Object()),
                        new IllegalStateException("cannot serialise"),
                        ProductionExceptionHandler.SerializationExceptionOrigin.VALUE);
        assertEquals(ProductionExceptionHandler.Result.RESUME, other.result());
        assertEquals(1, counted("not-serializable"));
    }

    @Test
    void shouldDeadLetterARecordTheBrokerRefusedForItsSize() {
        final ProductionExceptionHandler.Response response = production()
                .handleError(
                        input(),
                        new ProducerRecord<>(Topics.INCIDENT_EVENTS, utf8("incident.3.k"), utf8("{}")),
                        new RecordTooLargeException("over max.message.bytes"));
        assertEquals(ProductionExceptionHandler.Result.RESUME, response.result());
        final ProducerRecord<byte[], byte[]> dead =
                response.deadLetterQueueRecords().get(0);
        assertEquals("production-error", header(dead, Topics.HEADER_REASON));
        assertEquals(Topics.INCIDENT_EVENTS, header(dead, Topics.HEADER_TARGET_TOPIC));
        assertNull(dead.value());
    }

    @Test
    void shouldNeverDeadLetterADeadLetter() {
        final ProductionExceptionHandler.Response response = production()
                .handleError(
                        input(),
                        new ProducerRecord<>(Topics.ALERTS_DLQ, utf8("k"), utf8("v")),
                        new RecordTooLargeException("too large"));
        assertEquals(ProductionExceptionHandler.Result.RESUME, response.result());
        assertEquals(List.of(), response.deadLetterQueueRecords());
        assertEquals(1, counted("production-error"));
    }

    @Test
    void shouldLeaveOtherProductionFailuresToKafkasDefault() {
        final ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Topics.INCIDENTS, utf8("k"), utf8("v"));
        assertEquals(
                ProductionExceptionHandler.Result.RETRY,
                production()
                        .handleError(input(), record, new TimeoutException("slow"))
                        .result());
        assertEquals(
                ProductionExceptionHandler.Result.FAIL,
                production()
                        .handleError(input(), record, new TopicAuthorizationException("no ACL"))
                        .result());
    }

    @Test
    void shouldLeaveOutPartsThatWouldMakeTheDeadLetterTooLargeInTurn() {
        final Headers headers = new RecordHeaders();
        headers.add("big", new byte[DeadLetters.MAX_PART_BYTES + 1]);
        final ProducerRecord<byte[], byte[]> dead = processing()
                .handleError(
                        new Context(
                                "alerts",
                                new byte[DeadLetters.MAX_PART_BYTES + 1],
                                new byte[DeadLetters.MAX_PART_BYTES + 2],
                                headers),
                        null,
                        new IllegalStateException("x".repeat(5000)))
                .deadLetterQueueRecords()
                .get(0);
        assertNull(dead.key());
        assertNull(dead.value());
        assertNull(dead.headers().lastHeader("big"));
        assertEquals(
                "headers=" + (DeadLetters.MAX_PART_BYTES + 1 + 3 * 3) + ",key=" + (DeadLetters.MAX_PART_BYTES + 1)
                        + ",value=" + (DeadLetters.MAX_PART_BYTES + 2),
                header(dead, Topics.HEADER_OMITTED));
        assertTrue(header(dead, Topics.HEADER_ERROR).length() <= DeadLetters.MAX_ERROR_CHARS);
    }
}
