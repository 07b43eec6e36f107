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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 POST to an address already checked ({@link AddressPolicy}). A general client
 * resolves the host again itself, which is what DNS rebinding exploits; this one connects to the
 * given address and sends the URL's host in {@code Host} and, for https, in SNI, with the
 * certificate checked against that host name. It reads the status line and headers only (the
 * body of the answer is not needed) and closes the connection. The whole exchange is bounded by
 * {@code timeout}.
 */
final class WebhookSender {
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    /** What the receiver answered: its status and, if it said, when to retry ({@code Retry-After}, in seconds or a date). */
    record Response(int status, String retryAfter) {}

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
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(address, port), remaining(deadline));
            plain.setSoTimeout(remaining(deadline));
            final Socket socket = tls ? tls(plain, url.getHost(), port) : plain;
            try {
                write(socket.getOutputStream(), url, port, tls, headers, body);
                return read(new BufferedInputStream(socket.getInputStream()), deadline, socket);
            } finally {
                if (socket != plain) {
                    socket.close();
                }
            }
        }
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
            final OutputStream raw,
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
                .append("User-Agent: incident-stream-webhooks\r\n")
                .append("Connection: close\r\n");
        headers.forEach((name, values) ->
                values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n")));
        head.append("\r\n");
        final OutputStream out = new BufferedOutputStream(raw);
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static Response read(final InputStream in, final long deadline, final Socket socket) throws IOException {
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
        int read = status.length();
        for (String line = line(in, deadline, socket); !line.isEmpty(); line = line(in, deadline, socket)) {
            read += line.length();
            if (read > MAX_HEADER_BYTES) {
                throw new IOException("answer headers too large");
            }
            final int colon = line.indexOf(':');
            if (colon > 0
                    && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("retry-after")) {
                retryAfter = line.substring(colon + 1).trim();
            }
        }
        return new Response(code, retryAfter);
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
