package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.incidentstream.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kcat} (Debian), a librdkafka producer, writing straight into topic {@code alerts} as the
 * README tells producers to: native JSON with the canonical key and without any key becomes
 * incidents; poison records land in {@code alerts-dlq} with the reason in {@code dlq.reason}.
 */
class KcatIT {
    private static final Duration KCAT_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    static TestApp app;
    static String kcat;

    @BeforeAll
    static void start() throws Exception {
        kcat = ExternalProgram.require("kcat", "kcat");
        app = TestApp.start(dir.resolve("app"), "kcat-it", Map.of());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void shouldTurnNativeJsonFromKcatIntoIncidentsAndDeadLetterPoison() throws Exception {
        final String checkedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        // -K: splits each line at its first ':' into key and value
        produce(
                List.of("-K:"),
                "default/kc-keyed:" + alert("kc-keyed", "critical", checkedAt) + "\n" + "poison:{not json\n");
        produce(
                List.of(),
                alert("kc-unkeyed", "low", checkedAt) + "\n"
                        + "{\"alertId\": \"kc-bad\", \"status\": \"MAYBE\", \"checkedAt\": \"" + checkedAt + "\"}\n"
                        + "[1, 2, 3]\n");

        await().atMost(TestApp.WAIT).until(() -> app.api().count("alertTemplateId=kcat&status=ACTIVE") == 2);
        assertEquals(
                "critical",
                app.incidents("alertId=kc-keyed").get(0).get("severity").asText());
        assertEquals(
                "low",
                app.incidents("alertId=kc-unkeyed").get(0).get("severity").asText(),
                "re-keyed, then folded");

        final List<ConsumerRecord<byte[], byte[]>> dead = deadLetters(3);
        final Set<String> reasons = new TreeSet<>();
        for (ConsumerRecord<byte[], byte[]> record : dead) {
            reasons.add(header(record, Topics.HEADER_REASON));
            assertEquals(Topics.ALERTS, header(record, Topics.HEADER_SOURCE_TOPIC));
        }
        assertEquals(Set.of("not-json", "bad-enum", "not-object"), reasons);
        assertEquals(
                Set.of("{not json", "[1, 2, 3]"),
                Set.of(value(dead, "not-json"), value(dead, "not-object")),
                "the poison record is kept byte for byte");
    }

    private static String alert(final String alertId, final String severity, final String checkedAt) {
        return "{\"alertId\": \"" + alertId
                + "\", \"alertTemplateId\": \"kcat\", \"status\": \"FIRING\", \"severity\": \"" + severity
                + "\", \"checkedAt\": \"" + checkedAt + "\", \"title\": \"from kcat\"}";
    }

    /** Runs {@code kcat -P} with {@code lines} on its input; it exits once the broker acknowledged them. */
    private static void produce(final List<String> options, final String lines) throws Exception {
        final List<String> command = new ArrayList<>(
                List.of(kcat, "-P", "-b", app.bootstrapServers(), "-t", Topics.ALERTS, "-X", "acks=all"));
        command.addAll(options);
        final ExternalProgram producer = ExternalProgram.start("kcat-" + options.size(), dir, command, lines);
        try {
            assertEquals(0, producer.awaitExit(KCAT_TIMEOUT), producer::output);
        } finally {
            producer.close();
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> deadLetters(final int expected) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, app.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, "kcat-it-dlq-reader",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.ALERTS_DLQ));
            final List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
            await().atMost(TestApp.WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.size() >= expected;
            });
            assertEquals(expected, seen.size());
            return seen;
        }
    }

    private static String value(final List<ConsumerRecord<byte[], byte[]>> records, final String reason) {
        return records.stream()
                .filter(r -> reason.equals(header(r, Topics.HEADER_REASON)))
                .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .findFirst()
                .orElseThrow();
    }

    private static String header(final ConsumerRecord<?, ?> record, final String name) {
        final Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
