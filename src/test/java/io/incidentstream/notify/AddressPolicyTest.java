package io.incidentstream.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                "127.1.2.3",
                "10.0.0.1",
                "172.16.0.1",
                "172.31.255.255",
                "192.168.1.1",
                "169.254.169.254",
                "100.64.0.1",
                "0.0.0.0",
                "224.0.0.1",
                "255.255.255.255",
                "::1",
                "::",
                "fe80::1",
                "fc00::1",
                "fd12:3456::1",
                "::ffff:127.0.0.1",
                "::ffff:10.1.2.3",
                "64:ff9b::a00:1",
                "198.18.0.1"
            })
    void shouldRefuseLoopbackPrivateAndLinkLocalAddresses(final String address) throws Exception {
        assertFalse(AddressPolicy.isPublic(InetAddress.getByName(address)), address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "64:ff9b::808:808"})
    void shouldAcceptPublicAddresses(final String address) throws Exception {
        assertTrue(AddressPolicy.isPublic(InetAddress.getByName(address)), address);
    }

    @Test
    void shouldRefuseANameThatResolvesToLoopbackUnlessPrivateIsAllowed() throws Exception {
        final URI url = URI.create("http://localhost:9/hook");
        assertThrows(AddressPolicy.RefusedException.class, () -> new AddressPolicy(false).resolve(url));
        assertTrue(new AddressPolicy(true).resolve(url).isLoopbackAddress());
    }

    @Test
    void shouldRefuseLiteralPrivateHostsAtOnce() {
        final AddressPolicy policy = new AddressPolicy(false);
        assertTrue(policy.refusesLiteral("127.0.0.1"));
        assertTrue(policy.refusesLiteral("[::1]"));
        assertFalse(policy.refusesLiteral("hooks.example.com"), "names are checked when delivering");
        assertFalse(policy.refusesLiteral("8.8.8.8"));
        assertEquals(false, new AddressPolicy(true).refusesLiteral("127.0.0.1"));
    }
}
