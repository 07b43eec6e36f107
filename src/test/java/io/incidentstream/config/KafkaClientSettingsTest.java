package io.incidentstream.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientSettingsTest {

    @Test
    void shouldTurnPrefixedVariablesIntoClientSettings() {
        final Config config = Config.from(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "b:9093",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", "x required;",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "/t.p12",
                "KAFKA_STREAMS_SESSION_TIMEOUT_MS", "10000"));
        assertEquals(
                Map.of(
                        "security.protocol", "SASL_SSL",
                        "sasl.mechanism", "SCRAM-SHA-512",
                        "sasl.jaas.config", "x required;",
                        "ssl.truststore.location", "/t.p12"),
                config.kafkaClientSettings());
        assertEquals(Map.of("session.timeout.ms", "10000"), config.streamsOverrides());
    }

    @Test
    void shouldIgnoreKubernetesServiceLinksAndTypos() {
        final Map<String, String> env = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "b:9093",
                "KAFKA_PORT", "tcp://10.0.0.1:9092",
                "KAFKA_SERVICE_HOST", "10.0.0.1",
                "KAFKA_SECURTY_PROTOCOL", "SASL_SSL");
        assertEquals(Map.of(), Config.from(env).kafkaClientSettings());
        assertEquals(
                List.of("KAFKA_PORT", "KAFKA_SECURTY_PROTOCOL", "KAFKA_SERVICE_HOST"),
                KafkaClientSettings.unknown(env));
    }

    @Test
    void shouldRefuseClientSettingsForTheEmbeddedBroker() {
        final ConfigException e =
                assertThrows(ConfigException.class, () -> Config.from(Map.of("KAFKA_SECURITY_PROTOCOL", "SSL")));
        assertTrue(e.getMessage().contains("KAFKA_BOOTSTRAP_SERVERS is not set"), e.getMessage());
    }
}
