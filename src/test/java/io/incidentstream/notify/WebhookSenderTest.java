package io.incidentstream.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WebhookSenderTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final byte[] BODY = "{\"type\":\"incident.opened\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldSendOneDeliveryAfterAnotherOnOneKeptConnection() throws Exception {
        final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
        final AtomicInteger n = new AtomicInteger();
        final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                in.readAllBytes();
            }
            clientPorts.add(ex.getRemoteAddress().getPort());
            switch (n.incrementAndGet()) {
                case 1, 4 -> ex.sendResponseHeaders(204, -1);
                case 2 -> {
                    final byte[] ok = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
                    ex.sendResponseHeaders(200, ok.length);
                    ex.getResponseBody().write(ok);
                }
                default -> {
                    ex.getResponseHeaders().add("Retry-After", "7");
                    ex.sendResponseHeaders(503, 0); // chunked
                    ex.getResponseBody().write("busy".getBytes(StandardCharsets.UTF_8));
                }
            }
            ex.close();
        });
        server.start();
        try (WebhookSender sender = new WebhookSender()) {
            final URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
            final InetAddress address = InetAddress.getLoopbackAddress();
            assertEquals(204, sender.post(url, address, Map.of(), BODY, TIMEOUT).status());
            assertEquals(200, sender.post(url, address, Map.of(), BODY, TIMEOUT).status());
            final WebhookSender.Response busy = sender.post(url, address, Map.of(), BODY, TIMEOUT);
            assertEquals(503, busy.status());
            assertEquals("7", busy.retryAfter());
            assertEquals(
                    204,
                    sender.post(url, address, Map.of("webhook-id", List.of("x")), BODY, TIMEOUT)
                            .status());
            assertEquals(1, clientPorts.size(), "one connection for all four: " + clientPorts);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void shouldSendAgainOnAFreshConnectionWhenTheKeptOneWasClosed() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            final AtomicInteger accepted = new AtomicInteger();
            final Thread server = new Thread(() -> {
                try {
                    while (true) {
                        try (Socket s = listener.accept()) {
                            accepted.incrementAndGet();
                            final BufferedReader r = new BufferedReader(
                                    new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                            int length = 0;
                            for (String line = r.readLine(); line != null && !line.isEmpty(); line = r.readLine()) {
                                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                                    length = Integer.parseInt(line.substring(15).trim());
                                }
                            }
                            r.skip(length);
                            final OutputStream out = s.getOutputStream();
                            // keeps nothing alive though it does not say so: closes after each answer
                            out.write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                            out.flush();
                        }
                    }
                } catch (java.io.IOException e) {
                    // the listener closed: the test is over
                }
            });
            server.setDaemon(true);
            server.start();
            try (WebhookSender sender = new WebhookSender()) {
                final URI url = URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/hook");
                assertEquals(
                        204,
                        sender.post(url, InetAddress.getLoopbackAddress(), Map.of(), BODY, TIMEOUT)
                                .status());
                assertEquals(
                        204,
                        sender.post(url, InetAddress.getLoopbackAddress(), Map.of(), BODY, TIMEOUT)
                                .status());
                assertEquals(2, accepted.get());
            }
        }
    }
}
