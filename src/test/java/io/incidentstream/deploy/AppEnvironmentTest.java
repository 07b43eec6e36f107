package io.incidentstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.config.Config;
import io.incidentstream.config.ConfigException;
import io.incidentstream.config.Settings;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class AppEnvironmentTest {

    @Test
    void shouldDeclareEveryVariableLogbackReads() {
        // logback.xml reads its own variables; the settings table must still list them, or the README
        // and the deployment checks would not know them
        final Set<String> declared = new TreeSet<>();
        Settings.ALL.forEach(setting -> declared.add(setting.name()));
        assertEquals(declared, AppEnvironment.names());
        assertTrue(declared.containsAll(Set.of("LOG_LEVEL", "LOG_FORMAT", "METRICS_AUTH")), declared.toString());
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
            if (name.endsWith("_FILE")
                    || name.endsWith("_DIR")
                    || name.equals("KAFKA_BOOTSTRAP_SERVERS")
                    || name.equals("HTTP_HOST")
                    || name.equals("APPLICATION_SERVER")
                    || name.equals("APPLICATION_ID")
                    || name.equals("PEER_TOKEN")
                    || name.equals("INSTANCE_ID")
                    || name.startsWith("CURSOR_SECRET")) {
                continue; // free text: every value is valid
            }
            final ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                    ConfigException.class, () -> Config.from(Map.of(name, "not-valid-999999999999")), name);
            assertTrue(e.getMessage().contains(name + "="), e.getMessage());
        }
        assertEquals("127.0.0.1", Config.from(Map.of()).httpHost());
    }
}
