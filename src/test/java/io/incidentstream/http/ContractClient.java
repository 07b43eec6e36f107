package io.incidentstream.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** A plain JDK HTTP client that checks every response it receives against the {@link OpenApiContract}. */
public final class ContractClient {
    private final HttpClient http = HttpClient.newHttpClient();
    private final String origin;
    private final OpenApiContract contract;

    public ContractClient(final int port, final OpenApiContract contract) {
        this.origin = "http://127.0.0.1:" + port;
        this.contract = contract;
    }

    public HttpResponse<String> get(final String pathAndQuery) {
        return send("GET", pathAndQuery, null);
    }

    public HttpResponse<String> post(final String path, final String json) {
        return send("POST", path, json);
    }

    public HttpResponse<String> patch(final String path, final String json) {
        return send("PATCH", path, json);
    }

    public HttpResponse<String> delete(final String path) {
        return send("DELETE", path, null);
    }

    /** Sends, checks the response against the contract (failing the test on any violation), returns it. */
    public HttpResponse<String> send(final String method, final String pathAndQuery, final String body) {
        return send(method, pathAndQuery, body, null);
    }

    /** The same with a bearer token (null: none). */
    public HttpResponse<String> send(
            final String method, final String pathAndQuery, final String body, final String token) {
        return send(method, pathAndQuery, body, token, Map.of());
    }

    /** The same with more request headers (e.g. {@code Idempotency-Key}). */
    public HttpResponse<String> send(
            final String method,
            final String pathAndQuery,
            final String body,
            final String token,
            final Map<String, String> extraHeaders) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin + pathAndQuery))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        extraHeaders.forEach(request::header);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        final HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        final Map<String, String> headers = new HashMap<>();
        response.headers()
                .map()
                .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        final String path = URI.create(origin + pathAndQuery).getRawPath();
        contract.check(method, path, response.statusCode(), headers, response.body());
        return response;
    }
}
