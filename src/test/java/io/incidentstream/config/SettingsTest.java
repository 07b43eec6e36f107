package io.incidentstream.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.testkit.GeneratedBlock;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void readmeConfigurationTableIsTheSettingsTable() {
        new GeneratedBlock(Path.of("README.md"), "settings").check(Settings.markdownTable());
    }

    @Test
    void everyNameIsDeclaredOnce() {
        final Set<String> names = new HashSet<>();
        Settings.ALL.forEach(s -> assertTrue(names.add(s.name()), s.name() + " is declared twice"));
    }

    @Test
    void everySettingDefaultIsValid() {
        // the documented default must itself pass the setting's own validation
        for (Setting<?> s : Settings.ALL) {
            if (s.fallback() != null && s.shownDefault().startsWith("`")) {
                final String shown =
                        s.shownDefault().substring(1, s.shownDefault().indexOf('`', 1));
                assertEquals(s.fallback(), s.parse().apply(shown), s.name());
            }
        }
    }

    @Test
    void shouldRejectReplicationFactorZeroByName() {
        final ConfigException e =
                assertThrows(ConfigException.class, () -> Config.from(Map.of("TOPIC_REPLICATION_FACTOR", "0")));
        assertTrue(e.getMessage().contains("TOPIC_REPLICATION_FACTOR=0"), e.getMessage());
    }

    @Test
    void shouldKnowPassthroughPrefixButNotTheBarePrefix() {
        assertTrue(Settings.isKnown("KAFKA_STREAMS_NUM_STREAM_THREADS"));
        assertFalse(Settings.isKnown("KAFKA_STREAMS_"));
        assertFalse(Settings.isKnown("HTTP_PORTS"));
    }
}
