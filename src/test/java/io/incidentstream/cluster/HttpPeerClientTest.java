package io.incidentstream.cluster;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.incidentstream.errors.UnavailableException;
import io.incidentstream.query.PeerDirectory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** A peer's answer is read only up to a bound, whether it declares its length or streams. */
class HttpPeerClientTest {
    private final HttpServer server = start();
    private final HttpPeerClient client = new HttpPeerClient(Duration.ofSeconds(10), Optional.empty());

    private static HttpServer start() {
        try {
            final HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            s.createContext("/", exchange -> {
                final boolean chunked = exchange.getRequestURI().getPath().contains("chunked");
                exchange.sendResponseHeaders(200, chunked ? 0 : HttpPeerClient.MAX_ANSWER_BYTES + 1);
                final byte[] block = new byte[1 << 20];
                try (OutputStream out = exchange.getResponseBody()) {
                    for (long sent = 0; sent <= HttpPeerClient.MAX_ANSWER_BYTES; sent += block.length) {
                        out.write(block);
                    }
                } catch (IOException e) {
                    // the client hung up, as it should
                }
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private PeerDirectory.Peer peer() {
        return new PeerDirectory.Peer("127.0.0.1:" + server.getAddress().getPort(), false);
    }

    @Test
    void shouldRefuseAnAnswerDeclaredLargerThanTheBound() {
        assertUnavailable(() -> client.get(peer(), "t", "incident.0.1").get());
    }

    @Test
    void shouldStopReadingAStreamedAnswerPastTheBound() {
        assertUnavailable(() -> client.get(peer(), "t", "chunked-incident.0.1").get());
    }

    private static void assertUnavailable(final Executable call) {
        final ExecutionException e = assertThrows(ExecutionException.class, call);
        Throwable cause = e.getCause();
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertTrue(cause instanceof UnavailableException || cause instanceof java.io.IOException, "got " + cause);
        assertTrue(
                String.valueOf(cause.getMessage()).contains(Long.toString(HttpPeerClient.MAX_ANSWER_BYTES)),
                String.valueOf(cause.getMessage()));
    }
}
