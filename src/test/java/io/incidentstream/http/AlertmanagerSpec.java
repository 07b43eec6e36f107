package io.incidentstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Alertmanager's own API v2 document ({@code src/test/resources/alertmanager/openapi.yaml}, vendored from
 * prometheus/alertmanager) as a validator: a body is checked against the 200 schema of the operation,
 * by json-schema-validator (Swagger 2.0 schemas are JSON Schema draft 4; formats asserted), and then
 * for fields the document does not name, which a schema that leaves objects open would let through.
 */
final class AlertmanagerSpec {
    private static final String RESOURCE = "alertmanager/openapi.yaml";
    private static final String ID = "alertmanager-openapi.json";

    private final JsonNode document;
    private final SchemaRegistry registry;

    private AlertmanagerSpec(final JsonNode document) {
        this.document = document;
        this.registry = SchemaRegistry.withDefaultDialect(
                Dialects.getDraft4(),
                builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder()
                                .formatAssertionsEnabled(true)
                                .build())
                        .schemas(Map.of(ID, document.toString())));
    }

    static AlertmanagerSpec load() {
        try (InputStream in = AlertmanagerSpec.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            return new AlertmanagerSpec(new ObjectMapper(new YAMLFactory()).readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode document() {
        return document;
    }

    /** The query parameters Alertmanager documents for {@code GET path} (path under {@code /api/v2}). */
    List<JsonNode> queryParameters(final String path) {
        final List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : document.get("paths").get(path).get("get").path("parameters")) {
            final JsonNode param =
                    p.has("$ref") ? document.at(p.get("$ref").asText().substring(1)) : p;
            if (param.get("in").asText().equals("query")) {
                out.add(param);
            }
        }
        return out;
    }

    /** The violations of {@code body} as the 200 answer of {@code GET path}; empty when it conforms. */
    List<String> violations(final String path, final JsonNode body) {
        final String pointer = "/paths/" + path.replace("/", "~1") + "/get/responses/200/schema";
        final Schema schema = registry.getSchema(SchemaLocation.of(ID + "#" + pointer));
        final List<String> out = new ArrayList<>();
        for (Error e : schema.validate(body)) {
            out.add(e.toString());
        }
        undocumentedFields(document.at(pointer), body, "$", out);
        return out;
    }

    /** Fails naming every violation. */
    void check(final String path, final JsonNode body) {
        final List<String> violations = violations(path, body);
        if (!violations.isEmpty()) {
            throw new AssertionError("GET /api/v2" + path + " does not match Alertmanager's openapi.yaml: " + violations
                    + "\nbody: " + body);
        }
    }

    private void undocumentedFields(
            final JsonNode schema, final JsonNode value, final String at, final List<String> out) {
        final JsonNode s = resolve(schema);
        if (value.isArray() && s.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                undocumentedFields(s.get("items"), value.get(i), at + "[" + i + "]", out);
            }
            return;
        }
        if (!value.isObject() || s.has("additionalProperties")) {
            return;
        }
        final Map<String, JsonNode> properties = new java.util.LinkedHashMap<>();
        collectProperties(s, properties);
        final Iterator<Map.Entry<String, JsonNode>> fields = value.properties().iterator();
        while (fields.hasNext()) {
            final Map.Entry<String, JsonNode> field = fields.next();
            final JsonNode declared = properties.get(field.getKey());
            if (declared == null) {
                out.add(at + "." + field.getKey() + ": not a field of Alertmanager's schema");
            } else {
                undocumentedFields(declared, field.getValue(), at + "." + field.getKey(), out);
            }
        }
    }

    private void collectProperties(final JsonNode schema, final Map<String, JsonNode> into) {
        final JsonNode s = resolve(schema);
        s.path("properties").properties().forEach(e -> into.put(e.getKey(), e.getValue()));
        for (JsonNode part : s.path("allOf")) {
            collectProperties(part, into);
        }
    }

    private JsonNode resolve(final JsonNode schema) {
        JsonNode s = schema;
        while (s.has("$ref")) {
            s = document.at(s.get("$ref").asText().substring(1));
        }
        return s;
    }
}
