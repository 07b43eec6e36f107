package io.incidentstream.topology;

import io.incidentstream.metrics.HandledFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that cannot be read back goes to {@link Topics#ALERTS_DLQ}, original bytes and reason, and
 * the thread goes on. The external topics are read as bytes and decoded by processors that never
 * throw; what can fail here is an internal topic ({@code alerts-rekey}) holding a record we did not
 * write — Kafka's default would stop the thread on it at every restart.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);
    private static final LogThrottle LOG_THROTTLE = new LogThrottle(Duration.ofSeconds(10), System::nanoTime);

    private ErrorHandling.Counting counting = failure -> {};

    @Override
    public void configure(final Map<String, ?> configs) {
        counting = ErrorHandling.counting(configs);
    }

    @Override
    public Response handleError(
            final ErrorHandlerContext context, final ConsumerRecord<byte[], byte[]> record, final Exception exception) {
        counting.count(HandledFailure.NOT_DESERIALIZABLE);
        final long heldBack = LOG_THROTTLE.tryAcquire();
        if (heldBack >= 0) {
            LOG.warn(
                    "Record {}-{}@{} could not be read and goes to {} ({} more since the last such warning): {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    Topics.ALERTS_DLQ,
                    heldBack,
                    exception.toString());
        }
        return Response.resume(List.of(DeadLetters.of(
                context, record.key(), record.value(), HandledFailure.NOT_DESERIALIZABLE, exception, null)));
    }
}
