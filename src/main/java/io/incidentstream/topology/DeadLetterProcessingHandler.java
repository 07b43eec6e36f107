package io.incidentstream.topology;

import io.incidentstream.metrics.HandledFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An input record our processing code throws on becomes a dead letter; the thread goes on.
 *
 * <p>Every processor here is written not to throw on bad input (decoders dead-letter, the model
 * refuses or cuts), so an exception is a bug met by one record. Failing would stop every tenant and,
 * since the record is never committed, fail again after each restart; skipping it costs that one
 * record, which stays in {@link Topics#ALERTS_DLQ} (its original bytes, the error, the processor)
 * for an operator to replay once the bug is fixed. Counted in {@code streams.dlq{reason="processing-error"}}
 * and logged at ERROR with its trace (at most once per 10 s).
 *
 * <p>A {@link KafkaException} (a store that cannot be written, a producer in error, a task migrated)
 * is Kafka's own failure, not the record's: it fails the thread, as Kafka's default does, so the
 * uncaught-exception policy and liveness take over instead of every record being dead-lettered.
 * A failure in a punctuation (no input record) is logged and counted; the next punctuation retries.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);
    private static final LogThrottle LOG_THROTTLE = new LogThrottle(Duration.ofSeconds(10), System::nanoTime);

    private ErrorHandling.Counting counting = failure -> {};

    @Override
    public void configure(final Map<String, ?> configs) {
        counting = ErrorHandling.counting(configs);
    }

    @Override
    public Response handleError(
            final ErrorHandlerContext context, final Record<?, ?> record, final Exception exception) {
        if (exception instanceof KafkaException) {
            return Response.fail();
        }
        counting.count(HandledFailure.PROCESSING_ERROR);
        final long heldBack = LOG_THROTTLE.tryAcquire();
        if (heldBack >= 0) {
            LOG.error(
                    "Processor {} failed on input {}-{}@{}; the record goes to {} and processing continues ({} more since the last such error)",
                    context.processorNodeId(),
                    context.topic(),
                    context.partition(),
                    context.offset(),
                    Topics.ALERTS_DLQ,
                    heldBack,
                    exception);
        }
        if (context.topic() == null) {
            return Response.resume();
        }
        return Response.resume(List.of(DeadLetters.of(
                context,
                context.sourceRawKey(),
                context.sourceRawValue(),
                HandledFailure.PROCESSING_ERROR,
                exception,
                null)));
    }
}
