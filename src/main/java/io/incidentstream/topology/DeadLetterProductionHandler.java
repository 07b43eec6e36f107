package io.incidentstream.topology;

import io.incidentstream.metrics.HandledFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Output records that cannot be written become dead letters instead of stopping the stream thread.
 *
 * <ul>
 *   <li>A record its serializer refuses — above all one {@link RecordSizeGuard} finds too large — never
 *       reached the producer: a dead letter without the value (the key if small, the sink topic, the
 *       input that caused it in headers) goes to {@link Topics#ALERTS_DLQ} and processing resumes.
 *       This is what keeps the thread alive under exactly-once.</li>
 *   <li>A record the producer or the broker refuses for its size (a topic with a lower
 *       {@code max.message.bytes}, say): the same dead letter, and resume. Under at-least-once that is
 *       all; under exactly-once the producer has already failed its transaction, so the thread still
 *       stops — keep every topic at Kafka's default 1 MiB, which the guard stays under.</li>
 *   <li>Anything else (broker down, authorization): Kafka's default — retry what is retriable, else
 *       fail. Skipping records would not fix the cluster.</li>
 * </ul>
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProductionHandler.class);
    private static final LogThrottle LOG_THROTTLE = new LogThrottle(Duration.ofSeconds(10), System::nanoTime);

    private ErrorHandling.Counting counting = failure -> {};

    @Override
    public void configure(final Map<String, ?> configs) {
        counting = ErrorHandling.counting(configs);
    }

    @Override
    @SuppressWarnings("rawtypes") // as the interface declares it
    public Response handleSerializationError(
            final ErrorHandlerContext context,
            final ProducerRecord record,
            final Exception exception,
            final SerializationExceptionOrigin origin) {
        final HandledFailure failure = exception instanceof RecordTooLargeException
                ? HandledFailure.RECORD_TOO_LARGE
                : HandledFailure.NOT_SERIALIZABLE;
        return deadLetter(context, keyBytes(record.key()), record.topic(), failure, exception);
    }

    @Override
    public Response handleError(
            final ErrorHandlerContext context, final ProducerRecord<byte[], byte[]> record, final Exception exception) {
        if (!(exception instanceof RecordTooLargeException || exception instanceof RecordBatchTooLargeException)) {
            return exception instanceof RetriableException ? Response.retry() : Response.fail();
        }
        if (Topics.ALERTS_DLQ.equals(record.topic())) {
            // a dead letter refused in turn: count it and go on, never a dead letter of a dead letter
            counting.count(HandledFailure.PRODUCTION_ERROR);
            log(context, record.topic(), HandledFailure.PRODUCTION_ERROR, exception);
            return Response.resume();
        }
        return deadLetter(context, record.key(), record.topic(), HandledFailure.PRODUCTION_ERROR, exception);
    }

    private Response deadLetter(
            final ErrorHandlerContext context,
            final byte[] key,
            final String topic,
            final HandledFailure failure,
            final Exception exception) {
        counting.count(failure);
        log(context, topic, failure, exception);
        return Response.resume(List.of(DeadLetters.of(context, key, null, failure, exception, topic)));
    }

    /** The keys of our sinks are strings or bytes; anything else is left out rather than guessed at. */
    private static byte[] keyBytes(final Object key) {
        if (key instanceof byte[] bytes) {
            return bytes;
        }
        return key instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : null;
    }

    private static void log(
            final ErrorHandlerContext context, final String topic, final HandledFailure failure, final Exception e) {
        final long heldBack = LOG_THROTTLE.tryAcquire();
        if (heldBack >= 0) {
            LOG.error(
                    "An output record for {} was not written ({}), sent to {} instead; input {}-{}@{} ({} more since the last such error): {}",
                    topic,
                    failure.code(),
                    Topics.ALERTS_DLQ,
                    context.topic(),
                    context.partition(),
                    context.offset(),
                    heldBack,
                    e.toString());
        }
    }
}
