package io.incidentstream.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Config#from(Map)}: DESIGN.md's documented defaults, derived values, and start-up validation. */
class ConfigTest {

    private static Config config(final String... pairs) {
        final java.util.Map<String, String> env = new java.util.HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return Config.from(env);
    }

    private static ConfigException failure(final String... pairs) {
        return assertThrows(ConfigException.class, () -> config(pairs));
    }

    @Test
    void shouldStayDynamicAndLeaveTheGroupOnCloseWithoutAnInstanceId() {
        final Config c = config("HOSTNAME", "laptop");
        assertEquals(Optional.empty(), c.instanceId());
        assertTrue(c.leaveGroupOnClose());
        assertEquals(10_000L, c.maxReadStaleness());
    }

    @Test
    void shouldTakeThePodNameAsInstanceIdInKubernetesAndStayInTheGroupOnClose() {
        final Config c = config("KUBERNETES_SERVICE_HOST", "10.0.0.1", "HOSTNAME", "incident-stream-2");
        assertEquals(Optional.of("incident-stream-2"), c.instanceId());
        assertFalse(c.leaveGroupOnClose());
        assertTrue(config("INSTANCE_ID", "a", "LEAVE_GROUP_ON_CLOSE", "true").leaveGroupOnClose());
        assertEquals(
                Optional.empty(),
                config("KUBERNETES_SERVICE_HOST", "10.0.0.1", "HOSTNAME", "incident-stream-2", "INSTANCE_ID", "")
                        .instanceId(),
                "set empty: dynamic on purpose");
    }

    @Test
    void shouldRejectAStalenessBelowMinusOne() {
        assertTrue(failure("MAX_READ_STALENESS", "-2").getMessage().contains("MAX_READ_STALENESS=-2"));
        assertEquals(-1L, config("MAX_READ_STALENESS", "-1").maxReadStaleness());
    }

    @Test
    void shouldUseTheDocumentedDefaultsForAnEmptyEnvironment() {
        final Config c = Config.from(Map.of());
        assertTrue(c.embeddedBroker());
        assertEquals(Optional.empty(), c.bootstrapServers());
        assertEquals(9092, c.embeddedKafkaPort());
        assertEquals(Path.of("./data"), c.dataDir());
        assertEquals(Path.of("./data/state"), c.stateDir());
        assertEquals("127.0.0.1", c.httpHost());
        assertEquals(8080, c.httpPort());
        assertEquals("localhost:8080", c.applicationServer());
        assertEquals("incident-stream", c.applicationId());
        assertFalse(c.authEnabled());
        assertEquals(Duration.ofMinutes(5), c.incidentTtl());
        assertEquals(Duration.ofDays(30), c.incidentRetention());
        assertEquals("exactly_once_v2", c.processingGuarantee());
        assertEquals(Duration.ofMinutes(10), c.flapWindow());
        assertEquals(6, c.topicPartitions());
        assertEquals(1_048_576L, c.httpMaxBody());
        assertEquals(Optional.empty(), c.peerToken());
        assertEquals(Optional.of(6000), c.rateLimitPerMin(), "on by default, generously");
        assertEquals(Optional.of(30), c.authFailuresPerMin());
        assertEquals("text", c.logFormat());
    }

    @Test
    void shouldDeriveStateDirAndApplicationServerFromTheirBases() {
        final Config c = config("DATA_DIR", "/var/lib/incidents", "HTTP_PORT", "9000");
        assertEquals(Path.of("/var/lib/incidents/state"), c.stateDir());
        assertEquals("localhost:9000", c.applicationServer());
        assertEquals(9000, c.httpPort());
    }

    @Test
    void shouldPreferExplicitValuesOverDerivedDefaults() {
        final Config c = config(
                "DATA_DIR",
                "/d",
                "STATE_DIR",
                "/s",
                "HTTP_PORT",
                "9000",
                "APPLICATION_SERVER",
                "pod-0.incidents:9000",
                "HTTP_HOST",
                "0.0.0.0",
                "ALLOW_ANONYMOUS",
                "true");
        assertEquals(Path.of("/s"), c.stateDir());
        assertEquals("pod-0.incidents:9000", c.applicationServer());
        assertEquals("0.0.0.0", c.httpHost());
    }

    @Test
    void shouldRefuseAnOpenApiOnAllInterfacesUnlessAllowedExplicitly() {
        final ConfigException e = assertThrows(ConfigException.class, () -> config("HTTP_HOST", "0.0.0.0"));
        assertTrue(e.getMessage().contains("ALLOW_ANONYMOUS=true"), e.getMessage());
        assertTrue(e.getMessage().contains("AUTH_TOKENS_FILE"), e.getMessage());
        assertThrows(ConfigException.class, () -> config("HTTP_HOST", "10.0.0.7"));
        assertThrows(ConfigException.class, () -> config("HTTP_HOST", "127.example.com"));
        assertEquals(
                "0.0.0.0",
                config("HTTP_HOST", "0.0.0.0", "ALLOW_ANONYMOUS", "true").httpHost());
        for (String loopback : List.of("127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]")) {
            assertEquals(loopback, config("HTTP_HOST", loopback).httpHost());
        }
    }

    @Test
    void shouldBindToAllInterfacesOnlyWhenAuthIsConfigured() {
        final Config c =
                config("AUTH_TOKENS_FILE", "/etc/incident-stream/tokens.json", "PEER_TOKEN", "peer-secret-0123456789");
        assertTrue(c.authEnabled());
        assertEquals(Optional.of(Path.of("/etc/incident-stream/tokens.json")), c.authTokensFile());
        assertEquals("0.0.0.0", c.httpHost());
    }

    @Test
    void shouldRefuseAuthWithoutAPeerTokenSoInternalEndpointsAreNeverOpen() {
        final ConfigException e = assertThrows(
                ConfigException.class, () -> config("AUTH_TOKENS_FILE", "/etc/incident-stream/tokens.json"));
        assertTrue(e.getMessage().contains("AUTH_TOKENS_FILE is set but PEER_TOKEN is not"), e.getMessage());
    }

    @Test
    void shouldProtectMetricsOnlyWhenAskedAndOnlyWithTokens() {
        assertFalse(config("AUTH_TOKENS_FILE", "/t.json", "PEER_TOKEN", "p-0123456789abcdef")
                .metricsAuth());
        assertTrue(config("AUTH_TOKENS_FILE", "/t.json", "PEER_TOKEN", "p-0123456789abcdef", "METRICS_AUTH", "TRUE")
                .metricsAuth());
        final ConfigException e = assertThrows(ConfigException.class, () -> config("METRICS_AUTH", "true"));
        assertTrue(e.getMessage().contains("METRICS_AUTH=true needs AUTH_TOKENS_FILE"), e.getMessage());
        assertThrows(ConfigException.class, () -> config("METRICS_AUTH", "yes"));
    }

    @Test
    void shouldUseAnExternalClusterWhenBootstrapServersAreGiven() {
        final Config c = config("KAFKA_BOOTSTRAP_SERVERS", "kafka-0:9092,kafka-1:9092");
        assertFalse(c.embeddedBroker());
        assertEquals(Optional.of("kafka-0:9092,kafka-1:9092"), c.bootstrapServers());
    }

    @Test
    void shouldTreatBlankValuesAsUnset() {
        final Config c = config("HTTP_PORT", " ", "KAFKA_BOOTSTRAP_SERVERS", "", "INCIDENT_TTL", "");
        assertEquals(8080, c.httpPort());
        assertTrue(c.embeddedBroker());
        assertEquals(Duration.ofMinutes(5), c.incidentTtl());
    }

    @Test
    void shouldParseTheRetentionAsAnIsoDuration() {
        assertEquals(
                Duration.ofDays(7),
                Config.from(Map.of("INCIDENT_RETENTION", "P7D")).incidentRetention());
        assertThrows(ConfigException.class, () -> Config.from(Map.of("INCIDENT_RETENTION", "30 days")));
        assertThrows(ConfigException.class, () -> Config.from(Map.of("INCIDENT_RETENTION", "PT0S")));
    }

    @Test
    void shouldParseOverriddenValues() {
        final Config c = config(
                "INCIDENT_TTL",
                "PT30S",
                "FLAP_WINDOW",
                "PT1H",
                "TOPIC_PARTITIONS",
                "12",
                "PROCESSING_GUARANTEE",
                "AT_LEAST_ONCE",
                "EMBEDDED_KAFKA_PORT",
                "19092",
                "RATE_LIMIT_PER_MIN",
                "600",
                "LOG_FORMAT",
                "json");
        assertEquals(Duration.ofSeconds(30), c.incidentTtl());
        assertEquals(Duration.ofHours(1), c.flapWindow());
        assertEquals(12, c.topicPartitions());
        assertEquals("at_least_once", c.processingGuarantee());
        assertEquals(19092, c.embeddedKafkaPort());
        assertEquals(Optional.of(600), c.rateLimitPerMin());
        assertEquals("json", c.logFormat());
    }

    @ParameterizedTest(name = "HTTP_MAX_BODY={0}")
    @CsvSource({
        "65536, 65536",
        "512KiB, 524288",
        "512kb, 524288",
        "1MiB, 1048576",
        "2MB, 2097152",
        "1GiB, 1073741824",
        "100B, 100",
    })
    void shouldParseBodySizesWithBinaryUnits(final String value, final long bytes) {
        assertEquals(bytes, config("HTTP_MAX_BODY", value).httpMaxBody());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "HTTP_PORT, abc",
        "HTTP_PORT, 70000",
        "HTTP_PORT, -1",
        "EMBEDDED_KAFKA_PORT, 65536",
        "EMBEDDED_KAFKA_PORT, ninety",
        "INCIDENT_TTL, 5 minutes",
        "INCIDENT_TTL, PT0S",
        "INCIDENT_TTL, -PT1M",
        "FLAP_WINDOW, 10m",
        "TOPIC_PARTITIONS, 0",
        "TOPIC_PARTITIONS, six",
        "PROCESSING_GUARANTEE, exactly_once",
        "HTTP_MAX_BODY, lots",
        "HTTP_MAX_BODY, 0",
        "HTTP_MAX_BODY, 1TB",
        "HTTP_MAX_BODY, -5",
        "NUM_STANDBY_REPLICAS, -1",
        "RATE_LIMIT_PER_MIN, -1",
        "AUTH_FAILURES_PER_MIN, lots",
        "RATE_LIMIT_PER_MIN, many",
        "LOG_FORMAT, xml",
        "EXPIRY_INTERVAL, often",
        "EXPIRY_MAX_PER_TICK, 0",
        "TOPIC_REPLICATION_FACTOR, 0",
        "HTTP_MAX_BODY, 99999999999999999999",
        "HTTP_MAX_BODY, 9999999999GiB",
    })
    void shouldFailNamingTheVariableWithABadValue(final String name, final String value) {
        final ConfigException e = failure(name, value);
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }

    @Test
    void shouldNameEveryBadVariableInOneMessage() {
        final ConfigException e = failure(
                "HTTP_PORT",
                "abc",
                "INCIDENT_TTL",
                "soon",
                "TOPIC_PARTITIONS",
                "0",
                "PROCESSING_GUARANTEE",
                "maybe",
                "HTTP_MAX_BODY",
                "huge");
        for (String name :
                new String[] {"HTTP_PORT", "INCIDENT_TTL", "TOPIC_PARTITIONS", "PROCESSING_GUARANTEE", "HTTP_MAX_BODY"
                }) {
            assertTrue(e.getMessage().contains(name), name + " missing from: " + e.getMessage());
        }
    }

    @Test
    void shouldNotNameVariablesThatAreFine() {
        final ConfigException e = failure("HTTP_PORT", "abc", "TOPIC_PARTITIONS", "8");
        assertFalse(e.getMessage().contains("TOPIC_PARTITIONS"), e.getMessage());
    }
}
