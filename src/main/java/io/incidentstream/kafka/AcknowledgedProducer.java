package io.incidentstream.kafka;

import io.incidentstream.errors.UnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer behind every HTTP write to Kafka: idempotent with {@code acks=all}, so "sent" means
 * the broker has it, and bounded by one deadline per call, so a request succeeds or is a 503 within
 * the timeout, whatever the number of records.
 *
 * <p>Kafka bounds each record, not a call: {@code send} blocks up to {@code max.block.ms} while the
 * topic's metadata is unknown or the buffer is full. With the broker gone, metadata is unknown for
 * every record in turn, so a batch of n would block n times {@code max.block.ms}. Here
 * {@code max.block.ms} is a short {@link #BLOCK_SLICE}, and a send that ran out of it (the record
 * was never handed to the producer) is tried again only while the call's deadline leaves time; the
 * first record not handed over by then ends the call, and no later record is handed over. A call
 * thus ends within the timeout plus one slice.
 *
 * <p>Records handed over before a 503 stay with the producer: each is written or dropped within
 * {@code delivery.timeout.ms} (the timeout) of its send, so the caller is told they may or may not
 * be stored. A retry is harmless by the caller's key: an alert check repeated is folded into the
 * same incident, and a command repeated with its command id is applied once.
 */
final class AcknowledgedProducer implements AutoCloseable {
    /** The longest one {@code send} may block before the deadline is looked at again. */
    static final Duration BLOCK_SLICE = Duration.ofMillis(200);

    private static final Logger LOG = LoggerFactory.getLogger(AcknowledgedProducer.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final KafkaProducer<String, byte[]> producer;
    private final Duration timeout;

    AcknowledgedProducer(
            final KafkaConnection connection, final Duration timeout, final String clientId, final int lingerMs) {
        this(connection, timeout, clientId, lingerMs, "lz4");
    }

    /** @param compression the producer's {@code compression.type} */
    AcknowledgedProducer(
            final KafkaConnection connection,
            final Duration timeout,
            final String clientId,
            final int lingerMs,
            final String compression) {
        this.timeout = timeout;
        final int timeoutMs = (int) timeout.toMillis();
        final Map<String, Object> properties = connection.properties();
        properties.putAll(Map.of(
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.LINGER_MS_CONFIG,
                lingerMs,
                ProducerConfig.COMPRESSION_TYPE_CONFIG,
                compression,
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                (int) Math.min(timeoutMs, BLOCK_SLICE.toMillis()),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                Math.min(timeoutMs, 30_000),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                timeoutMs + lingerMs,
                ProducerConfig.CLIENT_ID_CONFIG,
                clientId));
        this.producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Sends every record and waits until the broker acknowledged all of them, all within the timeout.
     *
     * @param what   what is being written, for the error message ("the alerts")
     * @param advice what the caller should do on failure, and why it is safe
     * @throws UnavailableException when not all were acknowledged in time
     */
    void sendAll(final List<ProducerRecord<String, byte[]>> records, final String what, final String advice) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        try {
            for (ProducerRecord<String, byte[]> record : records) {
                acks.add(handOver(record, deadline));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(remaining(deadline), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(what, advice, acks.size(), records, e);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw unavailable(
                    what,
                    advice,
                    acks.size(),
                    records,
                    e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e);
        }
    }

    /**
     * Hands one record to the producer, trying again while a send ran out of {@code max.block.ms} and
     * the deadline leaves time. Such a send fails before it returns, with Kafka's
     * {@link org.apache.kafka.common.errors.TimeoutException}, and never reached the buffer; a record
     * that reached it cannot fail that fast, since {@code delivery.timeout.ms} is the whole timeout.
     */
    private Future<RecordMetadata> handOver(final ProducerRecord<String, byte[]> record, final long deadline)
            throws TimeoutException {
        while (remaining(deadline) > 0) {
            final Future<RecordMetadata> ack = producer.send(record);
            if (!ranOutOfBlockTime(ack)) {
                return ack;
            }
        }
        throw new TimeoutException("no metadata or buffer space for the topic before the deadline");
    }

    private static boolean ranOutOfBlockTime(final Future<RecordMetadata> ack) {
        if (!ack.isDone()) {
            return false;
        }
        try {
            ack.get();
            return false;
        } catch (ExecutionException e) {
            return e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long remaining(final long deadline) {
        return deadline - System.nanoTime();
    }

    /** The client learns what may have happened and what to do; the log, why (Kafka's own message). */
    private UnavailableException unavailable(
            final String what,
            final String advice,
            final int handedOver,
            final List<ProducerRecord<String, byte[]>> records,
            final Throwable cause) {
        LOG.warn(
                "Broker did not acknowledge {} record(s) for {} within {} ms ({} handed to the producer): {}",
                records.size(),
                records.isEmpty() ? "?" : records.get(0).topic(),
                timeout.toMillis(),
                handedOver,
                cause.toString());
        return new UnavailableException(
                "the broker did not acknowledge " + what + " within " + timeout.toMillis() + " ms; " + advice,
                RETRY_AFTER,
                cause);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
