package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.kafka.KafkaConnection;
import io.incidentstream.silence.KafkaSilenceLog;
import io.incidentstream.silence.Silence;
import io.incidentstream.silence.SilenceMatcher;
import io.incidentstream.silence.SilenceView;
import io.incidentstream.topology.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The silences topic as two instances share it, on a real broker: a write is in the writer's view when
 * {@code put} returns, in the other's moments later, in a newly started one at once; the retention
 * sweep's tombstone removes it everywhere.
 */
class SilenceLogIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void shouldShareSilencesBetweenInstancesAndForgetThemAfterTheirRetention() throws Exception {
        try (EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"), 0, 2)) {
            final Map<String, Object> kafka =
                    KafkaConnection.plain(broker.bootstrapServers()).properties();
            try (Admin admin = Admin.create(kafka)) {
                admin.createTopics(List.of(new NewTopic(Topics.SILENCES, Optional.of(2), Optional.empty())
                                .configs(
                                        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                        .all()
                        .get();
            }
            final SilenceView a = new SilenceView();
            final SilenceView b = new SilenceView();
            final Instant now = Instant.now();
            final Silence silence = new Silence(
                    "7c1d0f5e-0000-4000-8000-000000000001",
                    "acme",
                    List.of(new SilenceMatcher("alertname", "DiskFull", false, true)),
                    now.minusSeconds(3600),
                    now.minusSeconds(60),
                    "ops",
                    "done",
                    now.minusSeconds(60),
                    null);
            try (KafkaSilenceLog logA = KafkaSilenceLog.start(kafka, Topics.SILENCES, a, TIMEOUT);
                    KafkaSilenceLog logB = KafkaSilenceLog.start(kafka, Topics.SILENCES, b, TIMEOUT)) {
                logA.put(silence);
                assertEquals(Optional.of(silence), a.get("acme", silence.id()), "read back before put returns");
                await().atMost(TIMEOUT).until(() -> b.get("acme", silence.id()).isPresent());

                final SilenceView c = new SilenceView();
                KafkaSilenceLog.start(kafka, Topics.SILENCES, c, TIMEOUT).close();
                assertEquals(Optional.of(silence), c.get("acme", silence.id()), "read whole before start returns");

                assertEquals(0, logB.sweep(now, Duration.ofMinutes(5)), "expired for a minute: kept");
                assertEquals(1, logB.sweep(now, Duration.ofSeconds(30)), "expired longer than the retention");
                assertTrue(b.get("acme", silence.id()).isEmpty());
                await().atMost(TIMEOUT).until(() -> a.get("acme", silence.id()).isEmpty());
            }
        }
    }
}
