package io.incidentstream.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.codec.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The HTTP client of the integration tests: one instance's base URL and, when auth is on, the bearer
 * token of the caller. Immutable: {@link #as}, {@link #withToken}, {@link #withTimeout} and
 * {@link #using} return a changed copy, so one client per instance can serve every tenant.
 *
 * <p>Bodies: a {@code String} or {@code byte[]} is sent as it is (to send malformed JSON, or exactly
 * the bytes a test means), anything else as JSON by the application's own mapper. Transport
 * failures (connection refused while an instance is down, a timeout) are thrown as the JDK client
 * throws them, so a test can tell "no answer" from any status.
 */
public final class ApiClient {
    /** One JDK client (one selector thread, one connection pool) for every test in the JVM. */
    private static final HttpClient SHARED =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
    /** Far more pages than any test lists: past it, the cursors are going round in circles. */
    private static final int MAX_PAGES = 10_000;

    private final HttpClient http;
    private final String baseUrl;
    private final String token;
    private final Duration timeout;

    private ApiClient(final HttpClient http, final String baseUrl, final String token, final Duration timeout) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.token = token;
        this.timeout = timeout;
    }

    /** The instance listening on {@code port} of 127.0.0.1, without a token. */
    public static ApiClient on(final int port) {
        return at("http://127.0.0.1:" + port);
    }

    /** Any HTTP server, e.g. a real Alertmanager next to the app ({@code http://host:port}, no trailing slash). */
    public static ApiClient at(final String baseUrl) {
        return new ApiClient(SHARED, baseUrl, null, DEFAULT_TIMEOUT);
    }

    /** The same instance as {@code tenant} sees it: with the tenant's conventional token ({@link TestTokens#of}). */
    public ApiClient as(final String tenant) {
        return withToken(TestTokens.of(tenant));
    }

    /** The same instance with {@code Authorization: Bearer <token>} on every request; {@code null}: none. */
    public ApiClient withToken(final String bearerToken) {
        return new ApiClient(http, baseUrl, bearerToken, timeout);
    }

    /** The same with another limit on each whole request (20 s unless changed). */
    public ApiClient withTimeout(final Duration requestTimeout) {
        return new ApiClient(http, baseUrl, token, requestTimeout);
    }

    /** The same over another JDK client, for a test that watches the threads its client runs on. */
    public ApiClient using(final HttpClient client) {
        return new ApiClient(client, baseUrl, token, timeout);
    }

    public String baseUrl() {
        return baseUrl;
    }

    public ApiResponse get(final String pathAndQuery) throws IOException, InterruptedException {
        return send("GET", pathAndQuery, null, Map.of());
    }

    public ApiResponse post(final String path, final Object body) throws IOException, InterruptedException {
        return send("POST", path, body, Map.of());
    }

    public ApiResponse patch(final String path, final Object body) throws IOException, InterruptedException {
        return send("PATCH", path, body, Map.of());
    }

    public ApiResponse delete(final String path) throws IOException, InterruptedException {
        return send("DELETE", path, null, Map.of());
    }

    /** Any request; {@code body} null sends none; {@code headers} are added to the client's own. */
    public ApiResponse send(
            final String method, final String pathAndQuery, final Object body, final Map<String, String> headers)
            throws IOException, InterruptedException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(timeout)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        final HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new ApiResponse(response.statusCode(), response.body(), response.headers());
    }

    /** {@code GET} answered 200 (else the test fails, naming the body): its body as JSON. */
    public JsonNode json(final String pathAndQuery) throws IOException, InterruptedException {
        return get(pathAndQuery).assertStatus(200).json();
    }

    /** The status of a {@code GET}, or -1 when nothing answers (not started yet, or gone): for readiness polls. */
    public int status(final String pathAndQuery) {
        try {
            return get(pathAndQuery).status();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Every page of {@code GET /incidents?<query>}, following {@code nextToken} to the end: the whole
     * JSON of each page (data, count, nextToken). Fails if a cursor comes back a second time.
     */
    public List<JsonNode> pages(final String query) throws IOException, InterruptedException {
        final List<JsonNode> pages = new ArrayList<>();
        final Set<String> seen = new HashSet<>();
        String next = null;
        do {
            final JsonNode page = json("/incidents?" + query
                    + (next == null ? "" : "&nextToken=" + URLEncoder.encode(next, StandardCharsets.UTF_8)));
            pages.add(page);
            next = page.hasNonNull("nextToken") ? page.get("nextToken").asText() : null;
            if (next != null && (!seen.add(next) || pages.size() >= MAX_PAGES)) {
                fail("the cursors of /incidents?" + query + " go round in circles after " + pages.size() + " pages");
            }
        } while (next != null);
        return pages;
    }

    /** Every incident of every page of {@code GET /incidents?<query>}, in order, repeats kept. */
    public List<JsonNode> listAll(final String query) throws IOException, InterruptedException {
        final List<JsonNode> items = new ArrayList<>();
        for (JsonNode page : pages(query)) {
            page.get("data").forEach(items::add);
        }
        return items;
    }

    /** The sum of {@code alertCount} over every incident of {@code GET /incidents?<query>}: the alerts folded. */
    public long totalAlertCount(final String query) throws IOException, InterruptedException {
        long total = 0;
        for (JsonNode incident : listAll(query)) {
            total += incident.get("alertCount").asLong();
        }
        return total;
    }

    /** The {@code count} of {@code GET /incidents?includeCount=true&limit=1&<query>}. */
    public long count(final String query) throws IOException, InterruptedException {
        final JsonNode page = json("/incidents?includeCount=true&limit=1" + (query.isEmpty() ? "" : "&" + query));
        assertTrue(page.path("count").isIntegralNumber(), page::toString);
        return page.get("count").asLong();
    }

    private static byte[] bytes(final Object body) throws IOException {
        if (body instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if (body instanceof byte[] raw) {
            return raw;
        }
        return Json.mapper().writeValueAsBytes(body);
    }

    @Override
    public String toString() {
        return baseUrl + (token == null ? "" : " (with a token)");
    }
}
