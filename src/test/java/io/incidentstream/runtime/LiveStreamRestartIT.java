package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.incidentstream.testkit.ApiClient;
import io.incidentstream.testkit.Ports;
import io.incidentstream.testkit.SseReader;
import io.incidentstream.topology.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live stream's position across what a single instance outlives: a restart on the same data
 * directory (the position names offsets of topic {@code incidents}, which survive it), and changes
 * that are no longer in the topic (its records deleted up to the end), which must give a real
 * {@code event: reset}.
 */
class LiveStreamRestartIT {
    private static final Duration EVENT_WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private TestApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private TestApp start(final int httpPort, final int kafkaPort) throws Exception {
        return TestApp.start(
                dir.resolve("data"),
                "live-restart-it",
                Map.of("HTTP_PORT", Integer.toString(httpPort), "EMBEDDED_KAFKA_PORT", Integer.toString(kafkaPort)));
    }

    private static String post(final ApiClient api, final String alertId) throws Exception {
        api.post(
                        "/alerts",
                        Map.of(
                                "alertId",
                                alertId,
                                "status",
                                "FIRING",
                                "checkedAt",
                                Instant.now().toString()))
                .assertStatus(202);
        return alertId;
    }

    private static SseReader stream(final ApiClient api, final String lastId) throws Exception {
        final SseReader r = SseReader.open(
                api.baseUrl(), "/incidents/stream", null, lastId == null ? Map.of() : Map.of("Last-Event-ID", lastId));
        assertEquals(200, r.status());
        return r;
    }

    private static boolean isIncidentFor(final SseReader.Event e, final String alertId) {
        return e.name().equals("incident") && e.json().get("alertId").asText().equals(alertId);
    }

    /** The id of the event that brought {@code alertId}'s incident, read from a stream opened before it was posted. */
    private static String seen(final ApiClient api, final String alertId) throws Exception {
        try (SseReader r = stream(api, null)) {
            post(api, alertId);
            final List<SseReader.Event> got = r.until(e -> isIncidentFor(e, alertId), EVENT_WAIT);
            return got.get(got.size() - 1).id();
        }
    }

    @Test
    void shouldResumeAcrossARestartWithoutGapOrDuplicate() throws Exception {
        final int httpPort = Ports.freePort();
        final int kafkaPort = Ports.freePort();
        app = start(httpPort, kafkaPort);
        final String lastId = seen(app.api(), "before");
        final List<String> missed = new ArrayList<>(List.of(post(app.api(), "missed-1"), post(app.api(), "missed-2")));
        await().atMost(EVENT_WAIT).until(() -> app.api().count("") == 3);
        app.close();
        app = start(httpPort, kafkaPort);
        missed.add(post(app.api(), "after-restart"));
        try (SseReader r = stream(app.api(), lastId)) {
            final List<SseReader.Event> got = r.until(e -> isIncidentFor(e, "after-restart"), EVENT_WAIT);
            got.addAll(r.drain(Duration.ofSeconds(1)));
            final List<String> alertIds = got.stream()
                    .filter(e -> e.name().equals("incident"))
                    .map(e -> e.json().get("alertId").asText())
                    .toList();
            assertEquals(missed, alertIds, "every change after the last id once, in order, nothing before it: " + got);
        }
    }

    @Test
    void shouldSendResetWhenTheChangesAreNoLongerInTheTopic() throws Exception {
        app = start(0, 0);
        final String lastId = seen(app.api(), "gone");
        post(app.api(), "also-gone");
        await().atMost(EVENT_WAIT).until(() -> app.api().count("") == 2);
        deleteEverythingIn(app.bootstrapServers(), Topics.INCIDENTS);
        try (SseReader r = stream(app.api(), lastId)) {
            final SseReader.Event first = r.next(EVENT_WAIT);
            assertNotNull(first);
            assertEquals("reset", first.name(), "the missed changes were deleted: " + first);
            assertNotNull(first.id(), "with the position the stream goes on from");
            post(app.api(), "new");
            r.until(e -> isIncidentFor(e, "new"), EVENT_WAIT);
        }
    }

    /**
     * Moves the log start of every partition of {@code topic} to its end, as retention would: the
     * topic is compacted, which forbids deleting records, so {@code delete} is added to its policy.
     */
    private static void deleteEverythingIn(final String bootstrap, final String topic) throws Exception {
        final Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            admin.incrementalAlterConfigs(Map.of(
                            resource,
                            List.of(new AlterConfigOp(
                                    new ConfigEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "compact,delete"),
                                    AlterConfigOp.OpType.SET))))
                    .all()
                    .get();
            final int partitions = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get()
                    .get(topic)
                    .partitions()
                    .size();
            final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int i = 0; i < partitions; i++) {
                latest.put(new TopicPartition(topic, i), OffsetSpec.latest());
            }
            final Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
            admin.listOffsets(latest)
                    .all()
                    .get()
                    .forEach((tp, info) -> delete.put(tp, RecordsToDelete.beforeOffset(info.offset())));
            admin.deleteRecords(delete).all().get();
        }
    }
}
