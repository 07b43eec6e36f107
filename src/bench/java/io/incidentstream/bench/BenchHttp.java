package io.incidentstream.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The one HTTP client of the benchmark (ours and Alertmanager get the same): JDK HttpClient,
 * HTTP/1.1 with keep-alive, no compression. Latency is measured around send-and-read-body.
 */
final class BenchHttp {
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String base;

    BenchHttp(final int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** An answer: its status, its body, and the milliseconds from sending to having read the body. */
    static final class Response {
        private final int status;
        private final byte[] body;
        private final double millis;

        Response(final int status, final byte[] body, final double millis) {
            this.status = status;
            this.body = body;
            this.millis = millis;
        }

        int status() {
            return status;
        }

        byte[] body() {
            return body;
        }

        double millis() {
            return millis;
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    Response get(final String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .GET()
                .build());
    }

    Response post(final String path, final byte[] json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                .build());
    }

    /** GET that must answer 200. */
    Response ok(final String path) throws IOException, InterruptedException {
        final Response r = get(path);
        if (r.status() != 200) {
            throw new IllegalStateException("GET " + path + " -> " + r.status() + " " + r.text());
        }
        return r;
    }

    private Response send(final HttpRequest request) throws IOException, InterruptedException {
        final long start = System.nanoTime();
        final HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Response(response.statusCode(), response.body(), (System.nanoTime() - start) / 1e6);
    }

    /** Polls until GET path answers 200, or fails after the timeout. */
    void awaitOk(final String path, final Duration timeout, final Process process) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException(
                        "process exited with " + process.exitValue() + " before " + path + " answered");
            }
            try {
                if (get(path).status() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(base + path + " not 200 after " + timeout);
    }
}
