package io.incidentstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.config.Config;
import io.incidentstream.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppEnvironmentTest {

    @Test
    void shouldFindEveryVariableConfigReads() {
        // The extraction is what the deployment tests trust: it must see every read in Config.from.
        assertTrue(
                AppEnvironment.names()
                        .containsAll(java.util.Set.of(
                                "KAFKA_BOOTSTRAP_SERVERS",
                                "EMBEDDED_KAFKA_PORT",
                                "DATA_DIR",
                                "STATE_DIR",
                                "HTTP_HOST",
                                "HTTP_PORT",
                                "APPLICATION_SERVER",
                                "APPLICATION_ID",
                                "AUTH_TOKENS_FILE",
                                "INCIDENT_TTL",
                                "PROCESSING_GUARANTEE",
                                "FLAP_WINDOW",
                                "TOPIC_PARTITIONS",
                                "TOPIC_REPLICATION_FACTOR",
                                "NUM_STANDBY_REPLICAS",
                                "HTTP_MAX_BODY",
                                "PEER_TOKEN",
                                "RATE_LIMIT_PER_MIN",
                                "LOG_FORMAT",
                                "EXPIRY_INTERVAL",
                                "EXPIRY_MAX_PER_TICK",
                                "SHUTDOWN_TIMEOUT",
                                "PRODUCE_TIMEOUT",
                                "PEER_TIMEOUT",
                                "COMMAND_TIMEOUT",
                                "CURSOR_SECRET",
                                "PAGERDUTY_TTL",
                                "LOG_LEVEL")),
                AppEnvironment.names().toString());
    }

    @Test
    void shouldKnowPassthroughAndJvmButNotTypos() {
        assertTrue(AppEnvironment.known("KAFKA_STREAMS_SESSION_TIMEOUT_MS"));
        assertTrue(AppEnvironment.known("JAVA_TOOL_OPTIONS"));
        assertFalse(AppEnvironment.known("KAFKA_STREAMS_"));
        assertFalse(AppEnvironment.known("KAFKA_BOOTSTRAP_SERVER"));
        assertFalse(AppEnvironment.known("SHUTDOWN_TIMEOUT_SECONDS"));
    }

    @Test
    void shouldMatchWhatConfigActuallyParses() {
        // a name found by the extraction is one Config.from validates: a bad value fails by that name
        for (String name : AppEnvironment.names()) {
            if (name.equals("LOG_LEVEL")
                    || name.endsWith("_FILE")
                    || name.endsWith("_DIR")
                    || name.equals("KAFKA_BOOTSTRAP_SERVERS")
                    || name.equals("HTTP_HOST")
                    || name.equals("APPLICATION_SERVER")
                    || name.equals("APPLICATION_ID")
                    || name.equals("PEER_TOKEN")
                    || name.equals("CURSOR_SECRET")) {
                continue; // free text: every value is valid
            }
            final ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                    ConfigException.class, () -> Config.from(Map.of(name, "not-valid-999999999999")), name);
            assertTrue(e.getMessage().contains(name + "="), e.getMessage());
        }
        assertEquals("127.0.0.1", Config.from(Map.of()).httpHost());
    }
}
