package io.incidentstream.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PortRangesTest {

    @Test
    void shouldAllowOnlyTheApplicationServersPortByDefault() {
        final Config c = Config.from(Map.of("APPLICATION_SERVER", "pod-0.svc:8080"));
        assertTrue(c.peerPorts().test(8080));
        assertFalse(c.peerPorts().test(22));
        assertFalse(c.peerPorts().test(8081));
    }

    @Test
    void shouldReadListsAndRanges() {
        final PortRanges ports = PortRanges.parse("8080, 9000-9002");
        assertTrue(ports.test(8080) && ports.test(9000) && ports.test(9002));
        assertFalse(ports.test(8999) || ports.test(9003));
    }

    @Test
    void shouldNameTheBadPart() {
        final ConfigException e =
                assertThrows(ConfigException.class, () -> Config.from(Map.of("PEER_PORTS", "8080,90x0")));
        assertTrue(e.getMessage().contains("PEER_PORTS=8080,90x0: '90x0' is not a port"), e.getMessage());
        assertThrows(ConfigException.class, () -> Config.from(Map.of("PEER_PORTS", "9000-8000")));
        assertThrows(ConfigException.class, () -> Config.from(Map.of("PEER_PORTS", "0")));
    }
}
