package io.incidentstream.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports on 127.0.0.1 for tests that must know an instance's port before it starts (its APPLICATION_SERVER). */
final class Loopback {
    private Loopback() {}

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
