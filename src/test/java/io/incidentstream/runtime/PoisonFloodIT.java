package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.codec.Json;
import io.incidentstream.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A flood of poison records (every kind: not JSON, empty, null, wrong shape,
 * missing fields, bad enums, bad timestamps, wrong types, bad values, oversized) interleaved with
 * good alerts, straight onto {@code alerts}. Every poison record lands in {@code alerts-dlq} exactly
 * once, unchanged, with its {@code dlq.reason}; every good alert is folded exactly once. The
 * throughput with poison and of a good-only run of the same size are logged, not asserted.
 * {@code poison.records} (20k by default, 100k with {@code -Preliability-long}) sets the size.
 */
class PoisonFloodIT {
    private static final Logger LOG = LoggerFactory.getLogger(PoisonFloodIT.class);
    private static final String APPLICATION_ID = "poison-flood-it";
    private static final int POISON = Integer.getInteger("poison.records", 20_000);
    /** Poison records per good one. */
    private static final int RATIO = 5;

    private static final int GOOD_ALERTS = 50;

    @TempDir
    Path dir;

    private final Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(3));

    @Test
    void shouldDeadLetterEveryPoisonRecordWithItsReasonAndFoldEveryGoodOne() throws Exception {
        try (EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"), 0, 2);
                TestApp app = TestApp.start(
                        dir.resolve("app"),
                        APPLICATION_ID,
                        Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(), "NUM_STANDBY_REPLICAS", "0"));
                Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
                KafkaProducer<String, byte[]> producer = producer(broker)) {
            run(producer, admin, good("warm-up", 2_000, 0)); // JIT and caches warm for both measured runs

            final List<ProducerRecord<String, byte[]>> flood = new ArrayList<>();
            final Map<String, byte[]> poison = new HashMap<>();
            int goodSent = 0;
            for (int n = 0; n < POISON; n++) {
                final ProducerRecord<String, byte[]> record =
                        new ProducerRecord<>(Topics.ALERTS, "poison-" + n, PoisonRecords.value(n, base.plusMillis(n)));
                poison.put(record.key(), record.value());
                flood.add(record);
                if (n % RATIO == RATIO - 1) {
                    flood.add(goodRecord("flood", goodSent++));
                }
            }
            final long floodMillis = run(producer, admin, flood);
            final long cleanMillis = run(producer, admin, good("clean", flood.size(), 0));
            LOG.info(
                    "Poison flood: {} records ({} poison, {} good) applied in {} ms = {} records/s; good-only, same size: {} ms = {} records/s"
                            + " (with poison at {}% of the good-only rate)",
                    flood.size(),
                    POISON,
                    goodSent,
                    floodMillis,
                    perSecond(flood.size(), floodMillis),
                    cleanMillis,
                    perSecond(flood.size(), cleanMillis),
                    100 * cleanMillis / Math.max(1, floodMillis));

            assertDeadLettered(broker, poison);
            assertFolded(app, "flood", goodSent);
            assertFolded(app, "clean", flood.size());
        }
    }

    /** Exactly the poison records, once each, their bytes unchanged, each with the decoder's reason. */
    private static void assertDeadLettered(final EmbeddedKafka broker, final Map<String, byte[]> poison) {
        final Map<String, Integer> reasons = new TreeMap<>();
        final Map<String, byte[]> remaining = new HashMap<>(poison);
        for (ConsumerRecord<byte[], byte[]> r :
                CommittedRecords.readAll(broker.bootstrapServers(), Topics.ALERTS_DLQ)) {
            final String key = new String(r.key(), StandardCharsets.UTF_8);
            assertTrue(remaining.containsKey(key), () -> key + " in the DLQ: not poison, or there twice");
            final byte[] sent = remaining.remove(key);
            assertArrayEquals(sent, r.value(), key);
            final Header reason = r.headers().lastHeader(Topics.HEADER_REASON);
            assertNotNull(reason, key + " has no " + Topics.HEADER_REASON);
            final String expected = PoisonRecords.expectedReason(sent);
            assertEquals(expected, new String(reason.value(), StandardCharsets.UTF_8), key);
            assertNotNull(r.headers().lastHeader(Topics.HEADER_ERROR), key + " has no " + Topics.HEADER_ERROR);
            reasons.merge(expected, 1, Integer::sum);
        }
        assertEquals(
                List.of(),
                List.copyOf(remaining.keySet()).subList(0, Math.min(10, remaining.size())),
                "poison not in the DLQ");
        LOG.info("DLQ reasons: {}", reasons);
        assertTrue(reasons.size() >= 7, "every kind of poison: " + reasons);
    }

    /** Every good alert of {@code template} folded exactly as often as it was sent (round robin over the alerts). */
    private static void assertFolded(final TestApp app, final String template, final int sent) throws Exception {
        final JsonNode incidents = app.incidents("alertTemplateId=" + template);
        assertEquals(GOOD_ALERTS, incidents.size(), template + " incidents");
        long total = 0;
        for (JsonNode incident : incidents) {
            final int k = Integer.parseInt(incident.get("alertId").asText().substring(template.length() + 1));
            final int expected = sent / GOOD_ALERTS + (k < sent % GOOD_ALERTS ? 1 : 0);
            assertEquals(
                    expected,
                    incident.get("alertCount").asLong(),
                    incident.get("alertId").asText());
            total += incident.get("alertCount").asLong();
        }
        assertEquals(sent, total, template + ": every good alert once");
    }

    /** Sends the records and returns the milliseconds until the application has committed its way past the last of them. */
    private static long run(
            final KafkaProducer<String, byte[]> producer,
            final Admin admin,
            final List<ProducerRecord<String, byte[]>> records)
            throws Exception {
        final long started = System.nanoTime();
        final List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        for (ProducerRecord<String, byte[]> record : records) {
            acks.add(producer.send(record));
        }
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            ack.get(); // done after flush(): throws if the record was not acknowledged
        }
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(Topics.ALERTS))
                .allTopicNames()
                .get()
                .get(Topics.ALERTS)
                .partitions()
                .forEach(p -> latest.put(new TopicPartition(Topics.ALERTS, p.partition()), OffsetSpec.latest()));
        final Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> end.put(tp, info.offset()));
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> committed(admin).equals(end));
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** The application's committed positions on {@code alerts}: under exactly-once, its results are committed with them. */
    private static Map<TopicPartition, Long> committed(final Admin admin)
            throws ExecutionException, InterruptedException {
        final Map<TopicPartition, Long> offsets = new HashMap<>();
        final Map<TopicPartition, OffsetAndMetadata> all = admin.listConsumerGroupOffsets(APPLICATION_ID)
                .partitionsToOffsetAndMetadata()
                .get();
        all.forEach((tp, o) -> {
            if (tp.topic().equals(Topics.ALERTS) && o != null) {
                offsets.put(tp, o.offset());
            }
        });
        return offsets;
    }

    private List<ProducerRecord<String, byte[]>> good(final String template, final int count, final int from)
            throws Exception {
        final List<ProducerRecord<String, byte[]>> records = new ArrayList<>(count);
        for (int n = from; n < from + count; n++) {
            records.add(goodRecord(template, n));
        }
        return records;
    }

    /** The n-th good alert of {@code template}: alert {@code n % GOOD_ALERTS}, each check a millisecond after the last. */
    private ProducerRecord<String, byte[]> goodRecord(final String template, final int n) throws Exception {
        final String alertId = template + "-" + n % GOOD_ALERTS;
        final Instant at = base.plusMillis(n);
        final byte[] value = Json.mapper()
                .writeValueAsBytes(Map.of(
                        "alertId",
                        alertId,
                        "alertTemplateId",
                        template,
                        "status",
                        "FIRING",
                        "checkedAt",
                        at.toString(),
                        "validUntil",
                        at.plus(Duration.ofDays(1)).toString()));
        return new ProducerRecord<>(Topics.ALERTS, "default/" + alertId, value);
    }

    private static KafkaProducer<String, byte[]> producer(final EmbeddedKafka broker) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                5,
                ProducerConfig.BATCH_SIZE_CONFIG,
                256 * 1024,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class));
    }

    private static long perSecond(final long records, final long millis) {
        return records * 1000 / Math.max(1, millis);
    }
}
