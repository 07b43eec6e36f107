package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.config.Config;
import io.incidentstream.testkit.ApiResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app against a cluster that authenticates (SASL/PLAIN on a SASL_PLAINTEXT listener) and
 * authorizes (KRaft's StandardAuthorizer, nothing allowed without an ACL): with the {@code KAFKA_*}
 * client settings and exactly the ACLs of {@link KafkaAcls}, it ingests over HTTP, folds, lists and
 * applies writes, so every client it makes (Streams, both producers, the admin clients) carries the
 * credentials and needs nothing beyond those ACLs. Wrong credentials, or a principal without the
 * ACLs, stop the start with a message that says which.
 */
class SecuredKafkaIT {
    private static final String APP_ID = "secured-app";
    private static final String JAAS =
            "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"%s\" password=\"%s\";";

    @TempDir
    static Path dir;

    private static EmbeddedKafka broker;

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        final Map<String, String> settings = new HashMap<>();
        settings.put("sasl.enabled.mechanisms", "PLAIN");
        settings.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        settings.put(
                "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\""
                        + " password=\"admin-secret\" user_admin=\"admin-secret\" user_app=\"app-secret\""
                        + " user_stranger=\"stranger-secret\";");
        settings.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        // the broker itself, and the controller listener's unauthenticated principal
        settings.put("super.users", "User:admin;User:ANONYMOUS");
        settings.put("allow.everyone.if.no.acl.found", "false");
        broker = EmbeddedKafka.start(dir.resolve("kafka"), 0, 2, "SASL_PLAINTEXT", settings);
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                AdminClientConfig.SECURITY_PROTOCOL_CONFIG,
                "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM,
                "PLAIN",
                SaslConfigs.SASL_JAAS_CONFIG,
                JAAS.formatted("admin", "admin-secret")))) {
            admin.createAcls(KafkaAcls.bindings("User:app", APP_ID)).all().get();
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static Map<String, String> env(final String user, final String password, final String dataDir) {
        final Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
        env.put("KAFKA_SASL_MECHANISM", "PLAIN");
        env.put("KAFKA_SASL_JAAS_CONFIG", JAAS.formatted(user, password));
        env.put("TOPIC_REPLICATION_FACTOR", "1");
        env.put("DATA_DIR", dir.resolve(dataDir).toString());
        env.put("HTTP_PORT", "0");
        env.put("APPLICATION_ID", APP_ID);
        env.put("TOPIC_PARTITIONS", "2");
        return env;
    }

    @Test
    void shouldIngestFoldListAndWriteThroughASecuredCluster() throws Exception {
        try (TestApp app = TestApp.start(dir.resolve("app"), APP_ID, env("app", "app-secret", "app"))) {
            final ApiResponse accepted = app.api()
                    .post(
                            "/alerts",
                            "{\"alertId\":\"disk-full\",\"status\":\"FIRING\",\"severity\":\"high\","
                                    + "\"checkedAt\":\"" + Instant.now()
                                    + "\",\"validUntil\":\"2099-01-01T00:00:00Z\"}");
            assertEquals(202, accepted.status(), accepted.body());
            final JsonNode incident = await().atMost(TestApp.WAIT)
                    .ignoreExceptions()
                    .until(() -> app.incidents("alertId=disk-full").get(0), i -> i != null);
            assertEquals("ACTIVE", incident.get("status").asText());

            final ApiResponse acknowledged =
                    app.api().patch("/incidents/" + incident.get("id").asText(), "{\"status\":\"ACKNOWLEDGED\"}");
            assertEquals(200, acknowledged.status(), acknowledged.body());
            assertEquals(
                    "ACKNOWLEDGED",
                    app.incidents("alertId=disk-full").get(0).get("status").asText());
        }
    }

    @Test
    void shouldRefuseToStartWithWrongCredentialsSayingSo() {
        final long started = System.nanoTime();
        final IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> Application.start(Config.from(env("app", "not-the-password", "wrong-password"))));
        assertTrue(e.getMessage().contains("refused this app's credentials"), e.getMessage());
        assertTrue(e.getMessage().contains("KAFKA_SASL_JAAS_CONFIG"), e.getMessage());
        assertTrue(
                Duration.ofNanos(System.nanoTime() - started).toSeconds() < 30,
                "a wrong password is not worth retrying: the start must fail at once");
    }

    @Test
    void shouldRefuseToStartWithoutTheAclsSayingSo() {
        final IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> Application.start(Config.from(env("stranger", "stranger-secret", "stranger"))));
        assertTrue(e.getMessage().contains("Kafka denied it"), e.getMessage());
        assertTrue(e.getMessage().contains("Secured Kafka"), e.getMessage());
    }
}
