package io.incidentstream.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import io.incidentstream.codec.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks HTTP responses against {@code openapi.json}, the document the app serves: the path and
 * method must be documented, the status documented (or covered by {@code default}), the content
 * type listed, required headers present, and a JSON body valid against the response schema, as
 * json-schema-validator (OpenAPI 3.1 dialect, formats asserted) judges it. Records which
 * (operation, status) pairs were exercised, so a test can insist on coverage.
 */
public final class OpenApiContract {
    private static final String RESOURCE = "openapi.json";

    private final JsonNode document;
    private final SchemaRegistry schemas;
    private final Map<String, Schema> cache = new ConcurrentHashMap<>();
    private final Set<String> exercised = new TreeSet<>();

    private OpenApiContract(final JsonNode document) {
        this.document = document;
        this.schemas = SchemaRegistry.withDefaultDialect(
                Dialects.getOpenApi31(),
                builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder()
                                .formatAssertionsEnabled(true)
                                .build())
                        .schemas(Map.of(RESOURCE, document.toString())));
    }

    public static OpenApiContract load() {
        try (InputStream in = OpenApiContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            return new OpenApiContract(Json.mapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode document() {
        return document;
    }

    /** Every (METHOD path status) this document declares, {@code default} responses excluded. */
    public Set<String> declaredResponses() {
        final Set<String> declared = new TreeSet<>();
        document.get("paths")
                .properties()
                .forEach(path -> path.getValue()
                        .properties()
                        .forEach(op -> op.getValue()
                                .get("responses")
                                .fieldNames()
                                .forEachRemaining(status -> {
                                    if (!status.equals("default")) {
                                        declared.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey() + " "
                                                + status);
                                    }
                                })));
        return declared;
    }

    /** The (METHOD path status) of every response checked so far. */
    public synchronized Set<String> exercised() {
        return new TreeSet<>(exercised);
    }

    /**
     * Fails with every violation found in one response.
     *
     * @param path the request path, without the query string
     * @param headers response header names in lower case → value
     */
    public void check(
            final String method,
            final String path,
            final int status,
            final Map<String, String> headers,
            final String body) {
        final String template = template(path);
        final String m = method.toLowerCase(Locale.ROOT);
        final JsonNode operation = document.get("paths").get(template).get(m);
        if (operation == null) {
            throw new AssertionError(method + " " + template + " is not documented");
        }
        final String statusKey = Integer.toString(status);
        final String pointer = "/paths/" + escape(template) + "/" + m + "/responses/"
                + (operation.get("responses").has(statusKey) ? statusKey : "default");
        final JsonNode documented = document.at(pointer);
        if (documented.isMissingNode()) {
            throw new AssertionError(method + " " + path + " answered " + status + ", which is not documented");
        }
        final String responsePointer =
                documented.has("$ref") ? documented.get("$ref").asText().substring(1) : pointer;
        final JsonNode response = document.at(responsePointer);
        requiredHeaders(response, headers, method + " " + path + " " + status);
        validateBody(
                response,
                responsePointer,
                headers.getOrDefault("content-type", ""),
                body,
                method + " " + path + " " + status);
        synchronized (this) {
            exercised.add(method.toUpperCase(Locale.ROOT) + " " + template + " " + statusKey);
        }
    }

    private void requiredHeaders(final JsonNode response, final Map<String, String> headers, final String what) {
        final Iterator<Map.Entry<String, JsonNode>> it =
                response.path("headers").properties().iterator();
        while (it.hasNext()) {
            final Map.Entry<String, JsonNode> header = it.next();
            if (header.getValue().path("required").asBoolean(false)
                    && !headers.containsKey(header.getKey().toLowerCase(Locale.ROOT))) {
                throw new AssertionError(what + ": required header " + header.getKey() + " is missing");
            }
        }
    }

    private void validateBody(
            final JsonNode response,
            final String responsePointer,
            final String contentType,
            final String body,
            final String what) {
        final String mediaType = contentType.split(";", -1)[0].trim().toLowerCase(Locale.ROOT);
        if (body.isEmpty() && !response.has("content")) {
            return; // a documented empty answer (204 No Content); the framework's default content type means nothing
        }
        if (!response.path("content").has(mediaType)) {
            throw new AssertionError(what + ": content type '" + contentType + "' is not documented; documented: "
                    + response.path("content"));
        }
        if (!mediaType.equals("application/json")) {
            return;
        }
        final JsonNode instance;
        try {
            instance = Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw new AssertionError(what + ": body is not JSON: " + body, e);
        }
        final String schemaPointer = responsePointer + "/content/" + escape(mediaType) + "/schema";
        final Schema schema =
                cache.computeIfAbsent(schemaPointer, p -> schemas.getSchema(SchemaLocation.of(RESOURCE + "#" + p)));
        final List<Error> errors = schema.validate(instance);
        if (!errors.isEmpty()) {
            final List<String> messages = new ArrayList<>();
            errors.forEach(e -> messages.add(e.toString()));
            throw new AssertionError(
                    what + ": body does not match " + schemaPointer + ": " + messages + "\nbody: " + body);
        }
    }

    /** The documented path template a concrete path matches ({@code /incidents/x} → {@code /incidents/{id}}). */
    private String template(final String path) {
        final List<String> matches = new ArrayList<>();
        document.get("paths").fieldNames().forEachRemaining(t -> {
            if (path.matches(t.replaceAll("\\{[^/]+}", "[^/]+"))) {
                matches.add(t);
            }
        });
        if (matches.isEmpty()) {
            throw new AssertionError(path + " matches no documented path");
        }
        matches.sort((a, b) -> Long.compare(
                a.chars().filter(c -> c == '{').count(),
                b.chars().filter(c -> c == '{').count()));
        return matches.get(0);
    }

    private static String escape(final String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
