package io.incidentstream.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Ports on 127.0.0.1 for tests that must name a port before the program behind it starts: an
 * instance's {@code APPLICATION_SERVER} (its peers dial it), or a program that cannot bind port 0
 * and report which port it got (Alertmanager, Prometheus, a child JVM).
 */
public final class Ports {
    private static final byte[] LOOPBACK = {127, 0, 0, 1};

    private Ports() {}

    /**
     * A port that was free on 127.0.0.1 a moment ago. Another process may take it before the caller
     * binds it: the price of knowing the port in advance.
     */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByAddress(LOOPBACK))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
