package io.incidentstream.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.auth.TokenHashes;
import io.incidentstream.codec.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The query API of one instance as several tenants see it: auth is on, one bearer token per tenant
 * (token = {@code <tenant>-token}), written to a token file by {@link #writeTokens}.
 */
final class TenantHttp {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final int port;

    TenantHttp(final int port) {
        this.port = port;
    }

    /** A token file giving each tenant one token with every scope; returns its path. */
    static Path writeTokens(final Path file, final List<String> tenants) throws IOException {
        final StringBuilder yaml = new StringBuilder("tokens:\n");
        for (String tenant : tenants) {
            yaml.append("  - subject: ")
                    .append(tenant)
                    .append("-robot\n    tenant: ")
                    .append(tenant)
                    .append("\n    scopes: [incidents:read, incidents:write, alerts:write]\n    sha256: ")
                    .append(TokenHashes.sha256Hex(token(tenant)))
                    .append('\n');
        }
        Files.writeString(file, yaml);
        return file;
    }

    static String token(final String tenant) {
        return tenant + "-token";
    }

    /** Every incident of the tenant, by paging {@code GET /incidents} to the end; keyed by id. */
    Map<String, JsonNode> all(final String tenant) throws IOException, InterruptedException {
        final Map<String, JsonNode> all = new LinkedHashMap<>();
        list(tenant, "").forEach(i -> all.put(i.get("id").asText(), i));
        return all;
    }

    /** Every item of every page of {@code GET /incidents?limit=100<filter>}, in order, repeats kept. */
    List<JsonNode> list(final String tenant, final String filter) throws IOException, InterruptedException {
        final List<JsonNode> items = new ArrayList<>();
        String next = null;
        do {
            final JsonNode page = json(
                    tenant,
                    "/incidents?limit=100" + filter
                            + (next == null ? "" : "&nextToken=" + URLEncoder.encode(next, StandardCharsets.UTF_8)));
            page.get("data").forEach(items::add);
            next = page.hasNonNull("nextToken") ? page.get("nextToken").asText() : null;
        } while (next != null);
        return items;
    }

    /** All incidents of all the tenants. */
    List<JsonNode> all(final List<String> tenants) throws IOException, InterruptedException {
        final List<JsonNode> all = new ArrayList<>();
        for (String tenant : tenants) {
            all.addAll(all(tenant).values());
        }
        return all;
    }

    JsonNode json(final String tenant, final String path) throws IOException, InterruptedException {
        final HttpResponse<String> response = get(tenant, path);
        if (response.statusCode() != 200) {
            throw new IOException(path + " → " + response.statusCode() + " " + response.body());
        }
        return Json.mapper().readTree(response.body());
    }

    HttpResponse<String> get(final String tenant, final String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + token(tenant))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    int status(final String path) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .timeout(Duration.ofSeconds(5))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
