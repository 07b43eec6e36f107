package io.incidentstream.notify;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 POST to an address already checked ({@link AddressPolicy}). A general client
 * resolves the host again itself, which is what DNS rebinding exploits; this one connects to the
 * given address and sends the URL's host in {@code Host} and, for https, in SNI, with the
 * certificate checked against that host name. The whole exchange is bounded by {@code timeout}.
 *
 * <p>Connections are kept alive, per checked address, port and host, for {@link #IDLE} after an
 * answer whose end was read (its {@code Content-Length} or chunks; at most {@link #MAX_SKIPPED_BODY}
 * bytes of it, which are skipped): opening a connection per delivery costs both sides more than the
 * delivery itself. A kept connection the receiver has closed meanwhile fails at once; the delivery is
 * then sent once more on a fresh one (a receiver that took it and closed before answering gets it
 * twice, with the same {@code webhook-id}: at least once).
 */
final class WebhookSender implements AutoCloseable {
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    static final Duration IDLE = Duration.ofSeconds(15);
    static final long MAX_SKIPPED_BODY = 64 * 1024;
    private static final int MAX_IDLE_PER_TARGET = 4;

    /** What the receiver answered: its status and, if it said, when to retry ({@code Retry-After}, in seconds or a date). */
    record Response(int status, String retryAfter) {}

    private record Target(InetAddress address, int port, boolean tls, String host) {}

    private static final class Conn {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        long idleSince;

        Conn(final Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = new BufferedOutputStream(socket.getOutputStream());
        }
    }

    private record Answer(Response response, boolean reusable) {}

    private final Map<Target, Deque<Conn>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    Response post(
            final URI url,
            final InetAddress address,
            final Map<String, List<String>> headers,
            final byte[] body,
            final Duration timeout)
            throws IOException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final boolean tls = "https".equalsIgnoreCase(url.getScheme());
        final int port = url.getPort() != -1 ? url.getPort() : tls ? 443 : 80;
        final Target target = new Target(address, port, tls, url.getHost());
        final Conn kept = take(target);
        if (kept != null) {
            try {
                return exchange(kept, target, url, headers, body, deadline);
            } catch (IOException e) {
                quietly(kept); // closed by the receiver while idle: once more, on a fresh connection
            }
        }
        return exchange(open(target, deadline), target, url, headers, body, deadline);
    }

    private Response exchange(
            final Conn c,
            final Target t,
            final URI url,
            final Map<String, List<String>> headers,
            final byte[] body,
            final long deadline)
            throws IOException {
        boolean keep = false;
        try {
            c.socket.setSoTimeout(remaining(deadline));
            write(c.out, url, t.port(), t.tls(), headers, body);
            final Answer a = read(c.in, deadline, c.socket);
            keep = a.reusable() && !closed;
            return a.response();
        } finally {
            if (keep) {
                give(t, c);
            } else {
                quietly(c);
            }
        }
    }

    private static Conn open(final Target t, final long deadline) throws IOException {
        final Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(t.address(), t.port()), remaining(deadline));
            plain.setSoTimeout(remaining(deadline));
            plain.setTcpNoDelay(true);
            return new Conn(t.tls() ? tls(plain, t.host(), t.port()) : plain);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private Conn take(final Target t) {
        final Deque<Conn> q = idle.get(t);
        if (q == null) {
            return null;
        }
        final long now = System.nanoTime();
        while (true) {
            final Conn c;
            synchronized (q) {
                c = q.pollLast();
            }
            if (c == null) {
                return null;
            }
            if (now - c.idleSince < IDLE.toNanos() && !c.socket.isClosed()) {
                return c;
            }
            quietly(c);
        }
    }

    private void give(final Target t, final Conn c) {
        c.idleSince = System.nanoTime();
        final Deque<Conn> q = idle.computeIfAbsent(t, k -> new ArrayDeque<>());
        final Conn evicted;
        synchronized (q) {
            q.addLast(c);
            evicted = q.size() > MAX_IDLE_PER_TARGET ? q.pollFirst() : null;
        }
        if (evicted != null) {
            quietly(evicted);
        }
    }

    private static void quietly(final Conn c) {
        try {
            c.socket.close();
        } catch (IOException e) {
            // closing a connection given up on: nothing left to do
        }
    }

    /** Closes the kept connections. */
    @Override
    public void close() {
        closed = true;
        idle.values().forEach(q -> {
            synchronized (q) {
                q.forEach(WebhookSender::quietly);
                q.clear();
            }
        });
    }

    private static Socket tls(final Socket plain, final String host, final int port) throws IOException {
        final SSLContext context;
        try {
            context = SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IOException("no TLS", e);
        }
        final SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
        final SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        if (!host.startsWith("[") && !host.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
            params.setServerNames(List.of(new SNIHostName(host)));
        }
        ssl.setSSLParameters(params);
        ssl.startHandshake();
        return ssl;
    }

    private static void write(
            final OutputStream out,
            final URI url,
            final int port,
            final boolean tls,
            final Map<String, List<String>> headers,
            final byte[] body)
            throws IOException {
        final String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        final boolean defaultPort = port == (tls ? 443 : 80);
        final StringBuilder head = new StringBuilder()
                .append("POST ")
                .append(path)
                .append(" HTTP/1.1\r\n")
                .append("Host: ")
                .append(url.getHost())
                .append(defaultPort ? "" : ":" + port)
                .append("\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Content-Length: ")
                .append(body.length)
                .append("\r\n")
                .append("User-Agent: incident-stream-webhooks\r\n");
        headers.forEach((name, values) ->
                values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n")));
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /** The status and headers, then the body skipped, so that the connection can carry the next request. */
    private static Answer read(final InputStream in, final long deadline, final Socket socket) throws IOException {
        final String status = line(in, deadline, socket);
        final String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP answer");
        }
        final int code;
        try {
            code = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: " + parts[1], e);
        }
        String retryAfter = null;
        long length = -1;
        boolean chunked = false;
        boolean close = parts[0].equals("HTTP/1.0");
        int read = status.length();
        for (String line = line(in, deadline, socket); !line.isEmpty(); line = line(in, deadline, socket)) {
            read += line.length();
            if (read > MAX_HEADER_BYTES) {
                throw new IOException("answer headers too large");
            }
            final int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            final String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            final String value = line.substring(colon + 1).trim();
            switch (name) {
                case "retry-after" -> retryAfter = value;
                case "content-length" -> length = contentLength(value);
                case "transfer-encoding" ->
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close = value.toLowerCase(Locale.ROOT).contains("close");
                default -> {}
            }
        }
        final Response response = new Response(code, retryAfter);
        if (close) {
            return new Answer(response, false);
        }
        if (code / 100 == 1 || code == 204 || code == 304) {
            return new Answer(response, code / 100 != 1);
        }
        if (chunked) {
            return new Answer(response, skipChunks(in, deadline, socket));
        }
        return new Answer(response, length >= 0 && skip(in, length, deadline, socket));
    }

    private static long contentLength(final String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Skips {@code n} bytes of a body; false (do not reuse) when it is too long to be worth reading. */
    private static boolean skip(final InputStream in, final long n, final long deadline, final Socket socket)
            throws IOException {
        if (n > MAX_SKIPPED_BODY) {
            return false;
        }
        for (long left = n; left > 0; ) {
            socket.setSoTimeout(remaining(deadline));
            final long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed inside the answer's body");
                }
                left--;
            } else {
                left -= s;
            }
        }
        return true;
    }

    private static boolean skipChunks(final InputStream in, final long deadline, final Socket socket)
            throws IOException {
        long total = 0;
        while (true) {
            final String size = line(in, deadline, socket);
            final int ext = size.indexOf(';');
            final long n;
            try {
                n = Long.parseLong((ext < 0 ? size : size.substring(0, ext)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size", e);
            }
            total += n;
            if (n < 0 || total > MAX_SKIPPED_BODY) {
                return false;
            }
            if (n == 0) {
                for (String trailer = line(in, deadline, socket); !trailer.isEmpty(); ) {
                    trailer = line(in, deadline, socket);
                }
                return true;
            }
            skip(in, n, deadline, socket);
            line(in, deadline, socket);
        }
    }

    private static String line(final InputStream in, final long deadline, final Socket socket) throws IOException {
        final StringBuilder sb = new StringBuilder();
        while (true) {
            socket.setSoTimeout(remaining(deadline));
            final int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed before the answer's headers ended");
            }
            if (c == '\n') {
                final int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            if (sb.length() > MAX_HEADER_BYTES) {
                throw new IOException("answer line too long");
            }
            sb.append((char) c);
        }
    }

    private static int remaining(final long deadline) throws SocketTimeoutException {
        final long ms = (deadline - System.nanoTime()) / 1_000_000;
        if (ms <= 0) {
            throw new SocketTimeoutException("timed out");
        }
        return (int) Math.min(Integer.MAX_VALUE, ms);
    }
}
