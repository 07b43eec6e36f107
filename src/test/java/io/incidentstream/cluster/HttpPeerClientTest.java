package io.incidentstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.incidentstream.errors.UnavailableException;
import io.incidentstream.query.PeerDirectory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A peer that cannot answer fails the call with an {@link UnavailableException} whose message may
 * reach a client, so it says what happened and names no host or port; the JDK's exception, which
 * may, stays the cause, for the log.
 */
class HttpPeerClientTest {
    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private final HttpPeerClient client = new HttpPeerClient(TIMEOUT, Optional.of("peer-secret"));

    @Test
    void shouldSayAnInstanceCouldNotBeReachedWithoutNamingIt() throws IOException {
        final PeerDirectory.Peer peer = new PeerDirectory.Peer("127.0.0.1:" + closedPort(), false);
        final UnavailableException e = failure(client.commandResult(peer, 0, "c1"));
        assertEquals("an instance could not be reached", e.getMessage());
        assertNamesNo(peer, e);
        assertTrue(e.getCause() != null, "the JDK's exception is kept for the log");
    }

    @Test
    void shouldSayAnInstanceDidNotAnswerInTimeWithoutNamingIt() throws IOException {
        // Connections complete in the kernel's backlog; nothing ever reads or answers them.
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            final PeerDirectory.Peer peer = new PeerDirectory.Peer("127.0.0.1:" + silent.getLocalPort(), false);
            final UnavailableException e = failure(client.get(peer, "acme", "incident.1.1"));
            assertEquals("an instance did not answer within " + TIMEOUT.toMillis() + " ms", e.getMessage());
            assertNamesNo(peer, e);
        }
    }

    @Test
    void shouldPassOnTheReasonOfAPeerThatIsNotReadyWithoutNamingIt() throws IOException {
        final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            final byte[] body =
                    "{\"message\":\"partition 3 is migrating or restoring\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            final PeerDirectory.Peer peer =
                    new PeerDirectory.Peer("127.0.0.1:" + server.getAddress().getPort(), false);
            final UnavailableException e = failure(client.get(peer, "acme", "incident.3.1"));
            assertEquals("an instance answered 503: partition 3 is migrating or restoring", e.getMessage());
            assertNamesNo(peer, e);
        } finally {
            server.stop(0);
        }
    }

    private static UnavailableException failure(final Future<?> call) {
        final ExecutionException e = assertThrows(ExecutionException.class, call::get);
        return assertInstanceOf(UnavailableException.class, e.getCause());
    }

    private static void assertNamesNo(final PeerDirectory.Peer peer, final UnavailableException e) {
        final String port = peer.hostPort().substring(peer.hostPort().indexOf(':') + 1);
        assertFalse(e.getMessage().contains(port), "names the peer's port: " + e.getMessage());
        assertFalse(e.getMessage().contains("127.0.0.1"), "names the peer's host: " + e.getMessage());
    }

    /** A loopback port nothing listens on: connections are refused, as to a stopped instance. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
