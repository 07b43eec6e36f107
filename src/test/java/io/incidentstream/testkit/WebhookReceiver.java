package io.incidentstream.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.incidentstream.codec.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver on loopback (the JDK's HttpServer), checking each request as a real receiver
 * would, with javax.crypto's HMAC: the Standard Webhooks signature over {@code id.timestamp.body}
 * keyed with the decoded secret (any of the space-separated signatures may match), and
 * {@code X-Incident-Signature-256} over the body keyed with the whole secret string. It answers
 * what {@link #answer} says (200 unless told otherwise) and records every request.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One request as received. */
    public record Request(
            String webhookId,
            long timestamp,
            String type,
            JsonNode body,
            boolean signed,
            boolean bodySigned,
            int answered) {}

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private volatile String secret;
    private volatile IntSupplier answer = status::get;
    private HttpServer server;
    private final int port;

    private WebhookReceiver(final int port) {
        this.port = port;
    }

    public static WebhookReceiver start() throws IOException {
        final WebhookReceiver r = new WebhookReceiver(Ports.freePort());
        r.up();
        return r;
    }

    /** Listens (again) on the same port. */
    public synchronized void up() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Stops listening: deliveries meet a refused connection. */
    public synchronized void down() {
        server.stop(0);
    }

    public String url(final String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public void secret(final String s) {
        this.secret = s;
    }

    /** The status to answer from now on. */
    public void answer(final int s) {
        status.set(s);
        answer = status::get;
    }

    public List<Request> requests() {
        return new ArrayList<>(requests);
    }

    /** The requests answered 2xx. */
    public List<Request> delivered() {
        return requests.stream().filter(r -> r.answered() / 100 == 2).toList();
    }

    private void handle(final HttpExchange ex) throws IOException {
        final byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        final String id = ex.getRequestHeaders().getFirst("webhook-id");
        final String ts = ex.getRequestHeaders().getFirst("webhook-timestamp");
        final String sig = ex.getRequestHeaders().getFirst("webhook-signature");
        final List<String> bodySigs = ex.getRequestHeaders().get("X-Incident-Signature-256");
        final String s = secret;
        final boolean signed =
                s != null && id != null && ts != null && sig != null && standardMatches(s, id, ts, body, sig);
        final boolean bodySigned =
                s != null && bodySigs != null && bodySigs.stream().anyMatch(v -> bodyMatches(s, body, v));
        final int code = answer.getAsInt();
        final JsonNode json = Json.mapper().readTree(body);
        requests.add(new Request(
                id, ts == null ? 0 : Long.parseLong(ts), json.path("type").asText(), json, signed, bodySigned, code));
        ex.sendResponseHeaders(code, -1);
        ex.close();
    }

    private static boolean standardMatches(
            final String secret, final String id, final String ts, final byte[] body, final String header) {
        final byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        final byte[] signed =
                (id + "." + ts + "." + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        final byte[] expected = hmac(key, signed);
        for (String part : header.split(" ", -1)) {
            if (part.startsWith("v1,")
                    && MessageDigest.isEqual(expected, Base64.getDecoder().decode(part.substring(3)))) {
                return true;
            }
        }
        return false;
    }

    private static boolean bodyMatches(final String secret, final byte[] body, final String header) {
        final String expected =
                "sha256=" + HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), body));
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(final byte[] key, final byte[] data) {
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        server.stop(0);
    }
}
