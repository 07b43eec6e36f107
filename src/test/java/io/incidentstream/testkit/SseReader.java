package io.incidentstream.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A Server-Sent Events client for the tests: the JDK's HTTP client with a streaming body ({@code ofLines}),
 * lines parsed into {@link Event}s on a thread of its own, and comments counted apart.
 */
public final class SseReader implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One event: its name ({@code message} when unnamed), id (null for none) and data. */
    public record Event(String name, String id, String data) {
        public JsonNode json() {
            try {
                return JSON.readTree(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean ended;

    private SseReader(final HttpResponse<Stream<String>> response) {
        this.response = response;
        this.thread = new Thread(this::read, "sse-reader");
        this.thread.setDaemon(true);
        if (response.statusCode() == 200) {
            thread.start();
        }
    }

    /** Opens {@code GET baseUrl + pathAndQuery} with {@code Accept: text/event-stream} and {@code headers}. */
    public static SseReader open(
            final String baseUrl, final String pathAndQuery, final String token, final Map<String, String> headers)
            throws IOException, InterruptedException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .header("Accept", "text/event-stream")
                .GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        return new SseReader(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
    }

    public int status() {
        return response.statusCode();
    }

    /** The response's {@code Content-Type}, or empty. */
    public String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    public HttpResponse<Stream<String>> response() {
        return response;
    }

    private void read() {
        String name = null;
        String id = null;
        final StringBuilder data = new StringBuilder();
        boolean hasData = false;
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (hasData) {
                        events.add(new Event(name == null ? "message" : name, id, data.toString()));
                    }
                    name = null;
                    id = null;
                    data.setLength(0);
                    hasData = false;
                } else if (line.startsWith(":")) {
                    comments.add(line.substring(1).strip());
                } else {
                    final int colon = line.indexOf(':');
                    final String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1);
                    if (value.startsWith(" ")) {
                        value = value.substring(1);
                    }
                    switch (field) {
                        case "event" -> name = value;
                        case "id" -> id = value;
                        case "data" -> {
                            if (hasData) {
                                data.append('\n');
                            }
                            data.append(value);
                            hasData = true;
                        }
                        default -> {}
                    }
                }
            }
        } catch (UncheckedIOException | IllegalStateException e) {
            // closed
        } finally {
            ended = true;
        }
    }

    /** The next event within {@code timeout}, or null. */
    public Event next(final Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Events up to and including the first that {@code last} takes; fails after {@code timeout}. */
    public List<Event> until(final Predicate<Event> last, final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final List<Event> got = new ArrayList<>();
        while (true) {
            final long left = deadline - System.nanoTime();
            final Event e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no matching event within " + timeout + "; got " + got);
            }
            got.add(e);
            if (last.test(e)) {
                return got;
            }
        }
    }

    /** Events that arrive within {@code quiet} of each other, until none does. */
    public List<Event> drain(final Duration quiet) throws InterruptedException {
        final List<Event> got = new ArrayList<>();
        Event e;
        while ((e = next(quiet)) != null) {
            got.add(e);
        }
        return got;
    }

    /** The next comment line within {@code timeout}, or null. */
    public String comment(final Duration timeout) throws InterruptedException {
        return comments.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the server ended the stream. */
    public boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (RuntimeException e) {
            // already closed
        }
        thread.interrupt();
    }
}
