package io.incidentstream.kafka;

import io.incidentstream.errors.UnavailableException;
import io.incidentstream.ingest.AlertDecoder;
import io.incidentstream.model.AlertEvent;
import io.incidentstream.query.AlertHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a time range of topic {@code alerts} back for a grouping preview, with a consumer of its own
 * per request: assigned every partition (no consumer group, nothing committed), read_committed,
 * started at {@code offsetsForTimes(from)} and stopped at {@code offsetsForTimes(to)} (or the end).
 * When the range holds more than {@code maxRecords} records, each partition gives the same share of
 * its span, its oldest part, and the read says it was truncated; so does a read that runs out of
 * its time budget.
 */
public final class KafkaAlertHistory implements AlertHistory {
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConnection connection;
    private final String topic;
    private final AlertDecoder decoder;
    private final Duration budget;

    public KafkaAlertHistory(
            final KafkaConnection connection, final String topic, final AlertDecoder decoder, final Duration budget) {
        this.connection = connection;
        this.topic = topic;
        this.decoder = decoder;
        this.budget = budget;
    }

    @Override
    public Read read(final String tenant, final Instant from, final Instant to, final int maxRecords) {
        final Map<String, Object> props = connection.properties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "incident-stream-preview");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        final long deadline = System.nanoTime() + budget.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic, budget)) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
            consumer.assign(partitions);
            final Map<TopicPartition, Long> starts = offsets(consumer, partitions, from);
            final Map<TopicPartition, Long> stops = offsets(consumer, partitions, to);
            long span = 0;
            for (TopicPartition tp : partitions) {
                span += stops.get(tp) - starts.get(tp);
            }
            final boolean cut = span > maxRecords;
            String truncatedBy = cut ? "at most " + maxRecords + " records are read, the oldest of the range" : null;
            final Map<TopicPartition, Long> ends = new HashMap<>();
            for (TopicPartition tp : partitions) {
                final long own = stops.get(tp) - starts.get(tp);
                final long allowed = cut ? own * maxRecords / span : own;
                ends.put(tp, starts.get(tp) + allowed);
                consumer.seek(tp, starts.get(tp));
            }
            final List<AlertEvent> alerts = new ArrayList<>();
            long read = 0;
            List<TopicPartition> open = unfinished(consumer, partitions, ends);
            while (!open.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    truncatedBy = "the read stopped after " + budget.toSeconds() + " s";
                    break;
                }
                consumer.pause(partitions);
                consumer.resume(open);
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    if (r.offset() >= ends.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue;
                    }
                    read++;
                    final AlertEvent event = decoded(r.value());
                    if (event != null
                            && event.tenantId().equals(tenant)
                            && r.timestamp() >= from.toEpochMilli()
                            && r.timestamp() < to.toEpochMilli()) {
                        alerts.add(event);
                    }
                }
                open = unfinished(consumer, partitions, ends);
            }
            return new Read(List.copyOf(alerts), read, truncatedBy);
        } catch (KafkaException e) {
            throw new UnavailableException(
                    "cannot read topic " + topic + ": " + e.getMessage(), Duration.ofSeconds(1), e);
        }
    }

    /** Per partition, the first offset at or after the time, or the (committed) end when there is none. */
    private Map<TopicPartition, Long> offsets(
            final KafkaConsumer<byte[], byte[]> consumer, final List<TopicPartition> partitions, final Instant at) {
        final Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, at.toEpochMilli()));
        final Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, budget);
        final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, budget);
        final Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : partitions) {
            final OffsetAndTimestamp o = found.get(tp);
            out.put(tp, o == null ? ends.get(tp) : Math.min(o.offset(), ends.get(tp)));
        }
        return out;
    }

    private static List<TopicPartition> unfinished(
            final KafkaConsumer<byte[], byte[]> consumer,
            final List<TopicPartition> partitions,
            final Map<TopicPartition, Long> ends) {
        final List<TopicPartition> open = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp) < ends.get(tp)) {
                open.add(tp);
            }
        }
        return open;
    }

    private AlertEvent decoded(final byte[] value) {
        try {
            return decoder.decode(value);
        } catch (RuntimeException e) {
            return null; // the fold dead-letters it; a preview skips it
        }
    }
}
