package io.incidentstream.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamThreadFailuresTest {
    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger replaced = new AtomicInteger();
    private final StreamThreadFailures failures =
            new StreamThreadFailures(Duration.ofSeconds(30), now::get, replaced::incrementAndGet);

    /** What Kafka Streams 4.3 throws after a broker outage longer than max.block.ms (seen in BrokerKillIT). */
    private static StreamsException commitTimedOut() {
        return new StreamsException(new IllegalStateException("Cannot attempt operation `sendOffsetsToTransaction` "
                + "because the previous call to `commitTransaction` timed out and must be retried"));
    }

    @Test
    void shouldReplaceTheThreadWhenTheBrokerWasOutOfReach() {
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, failures.handle(commitTimedOut()));
        now.addAndGet(Duration.ofSeconds(61).toNanos());
        assertEquals(
                StreamThreadExceptionResponse.REPLACE_THREAD,
                failures.handle(new StreamsException(new TimeoutException("Timeout expired after 60000ms"))));
        assertEquals(2, replaced.get());
    }

    @Test
    void shouldStopTheClientOnAnyOtherFailure() {
        assertEquals(
                StreamThreadExceptionResponse.SHUTDOWN_CLIENT,
                failures.handle(new StreamsException(new ProcessorStateException("RocksDB: no space left"))));
        assertEquals(
                StreamThreadExceptionResponse.SHUTDOWN_CLIENT,
                failures.handle(new IllegalStateException("a bug of ours")));
        assertEquals(0, replaced.get());
    }

    @Test
    void shouldStopTheClientWhenReplacedThreadsFailFasterThanAnOutageCanSurface() {
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, failures.handle(commitTimedOut()));
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, failures.handle(commitTimedOut()));
        assertEquals(1, replaced.get());
    }
}
