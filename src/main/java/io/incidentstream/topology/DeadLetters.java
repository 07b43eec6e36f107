package io.incidentstream.topology;

import io.incidentstream.metrics.HandledFailure;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Dead letters: the original record plus, in headers, why it was refused and where it came from.
 *
 * <p>Those made by the exception handlers ({@link #of}) are sent by Kafka Streams as they are, past
 * every serializer and {@link RecordSizeGuard}, so they are bounded here: a key, value or set of
 * original headers larger than {@link #MAX_PART_BYTES} is left out and named in {@code dlq.omitted}
 * with its size. A dead letter that Kafka refused in turn would fail the transaction it was meant
 * to save.
 */
final class DeadLetters {
    /** Each of key, value and original headers; three of them and our headers stay well under 1 MiB. */
    static final int MAX_PART_BYTES = 256 * 1024;
    /** {@code dlq.error}: an exception's message, cut. */
    static final int MAX_ERROR_CHARS = 1000;

    private DeadLetters() {}

    static Headers headers(
            final ProcessingContext context, final Record<?, ?> record, final String reason, final String message) {
        final Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(Topics.HEADER_REASON, utf8(reason));
        headers.add(Topics.HEADER_ERROR, utf8(message));
        context.recordMetadata().ifPresent(m -> {
            headers.add(Topics.HEADER_SOURCE_TOPIC, utf8(m.topic()));
            headers.add(Topics.HEADER_SOURCE_PARTITION, utf8(Integer.toString(m.partition())));
            headers.add(Topics.HEADER_SOURCE_OFFSET, utf8(Long.toString(m.offset())));
        });
        return headers;
    }

    /**
     * A dead letter on {@link Topics#ALERTS_DLQ} made by an exception handler, bounded.
     *
     * @param context     the input record being processed when it failed (no source topic in a punctuation)
     * @param key         the key to keep (the input's, or the refused output's), or null
     * @param value       the value to keep, or null
     * @param targetTopic the topic an output record was meant for, or null for an input record
     */
    static ProducerRecord<byte[], byte[]> of(
            final ErrorHandlerContext context,
            final byte[] key,
            final byte[] value,
            final HandledFailure failure,
            final Exception exception,
            final String targetTopic) {
        final List<String> omitted = new ArrayList<>();
        final Headers headers = new RecordHeaders();
        final Headers original = context.headers();
        if (original != null) {
            final int size = size(original);
            if (size <= MAX_PART_BYTES) {
                original.forEach(headers::add);
            } else {
                omitted.add("headers=" + size);
            }
        }
        headers.add(Topics.HEADER_REASON, utf8(failure.code()));
        headers.add(Topics.HEADER_ERROR, utf8(cut(String.valueOf(exception))));
        if (context.topic() != null) {
            headers.add(Topics.HEADER_SOURCE_TOPIC, utf8(context.topic()));
            headers.add(Topics.HEADER_SOURCE_PARTITION, utf8(Integer.toString(context.partition())));
            headers.add(Topics.HEADER_SOURCE_OFFSET, utf8(Long.toString(context.offset())));
        }
        if (context.processorNodeId() != null) {
            headers.add(Topics.HEADER_PROCESSOR, utf8(context.processorNodeId()));
        }
        if (targetTopic != null) {
            headers.add(Topics.HEADER_TARGET_TOPIC, utf8(targetTopic));
        }
        final byte[] keptKey = within(key, "key", omitted);
        final byte[] keptValue = within(value, "value", omitted);
        if (!omitted.isEmpty()) {
            headers.add(Topics.HEADER_OMITTED, utf8(String.join(",", omitted)));
        }
        final Long timestamp = context.timestamp() >= 0 ? context.timestamp() : null;
        return new ProducerRecord<>(Topics.ALERTS_DLQ, null, timestamp, keptKey, keptValue, headers);
    }

    private static byte[] within(final byte[] part, final String name, final List<String> omitted) {
        if (part != null && part.length > MAX_PART_BYTES) {
            omitted.add(name + "=" + part.length);
            return null;
        }
        return part;
    }

    /** Bytes of a set of headers, at most: keys counted three bytes a character, and the values. */
    static int size(final Headers headers) {
        long size = 0;
        for (Header h : headers) {
            size += h.key().length() * 3L + (h.value() == null ? 0 : h.value().length);
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    private static String cut(final String message) {
        return message.length() <= MAX_ERROR_CHARS ? message : message.substring(0, MAX_ERROR_CHARS - 1) + "…";
    }

    private static byte[] utf8(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
