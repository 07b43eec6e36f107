package io.incidentstream.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.processor.api.Record;

/** Headers of a dead letter: the original headers plus why it was refused and where it came from. */
final class DeadLetters {
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

    private static byte[] utf8(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
