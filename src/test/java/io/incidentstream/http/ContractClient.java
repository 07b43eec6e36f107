package io.incidentstream.http;

import io.incidentstream.testkit.ApiClient;
import io.incidentstream.testkit.ApiResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;

/**
 * The tests' {@link ApiClient} with every response it receives checked against the
 * {@link OpenApiContract}: a response the document does not describe fails the test at once.
 */
public final class ContractClient {
    private final ApiClient api;
    private final OpenApiContract contract;

    public ContractClient(final int port, final OpenApiContract contract) {
        this.api = ApiClient.on(port);
        this.contract = contract;
    }

    public ApiResponse get(final String pathAndQuery) {
        return send("GET", pathAndQuery, null);
    }

    public ApiResponse post(final String path, final String json) {
        return send("POST", path, json);
    }

    public ApiResponse patch(final String path, final String json) {
        return send("PATCH", path, json);
    }

    public ApiResponse delete(final String path) {
        return send("DELETE", path, null);
    }

    /** Sends, checks the response against the contract (failing the test on any violation), returns it. */
    public ApiResponse send(final String method, final String pathAndQuery, final String body) {
        return send(method, pathAndQuery, body, null);
    }

    /** The same with a bearer token (null: none). */
    public ApiResponse send(final String method, final String pathAndQuery, final String body, final String token) {
        final ApiResponse response;
        try {
            response = api.withToken(token).send(method, pathAndQuery, body, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        final String path = URI.create(api.baseUrl() + pathAndQuery).getRawPath();
        contract.check(method, path, response.status(), response.headersByLowerCaseName(), response.body());
        return response;
    }
}
