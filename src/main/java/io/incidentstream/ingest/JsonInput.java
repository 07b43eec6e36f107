package io.incidentstream.ingest;

import static io.incidentstream.errors.InvalidAlertException.Reason.MISSING_FIELD;
import static io.incidentstream.errors.InvalidAlertException.Reason.NOT_JSON;
import static io.incidentstream.errors.InvalidAlertException.Reason.WRONG_TYPE;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.codec.Json;
import io.incidentstream.errors.InvalidAlertException;
import io.incidentstream.model.Texts;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reading untrusted foreign payloads field by field. Every error names the field by its path in the
 * sender's document ({@code alerts[2].labels.severity}), so the sender can find it; every reader
 * treats JSON {@code null} like an absent field, as the Go and JavaScript senders mean it.
 */
final class JsonInput {

    private JsonInput() {}

    /** Parses a whole request body (its size is already bounded by the HTTP layer). */
    static JsonNode parse(final byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidAlertException(NOT_JSON, "the request body is empty");
        }
        try {
            return Json.mapper().readTree(body);
        } catch (JacksonException e) {
            throw new InvalidAlertException(NOT_JSON, "the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidAlertException(NOT_JSON, "the request body could not be read");
        }
    }

    /** The field's value, or null when absent or JSON null. */
    static JsonNode field(final JsonNode node, final String name) {
        final JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v;
    }

    static String text(final JsonNode node, final String name, final String path) {
        final JsonNode v = field(node, name);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidAlertException(WRONG_TYPE, at(path, name) + " must be a string");
        }
        return v.textValue();
    }

    /** A string that must be present and not blank. */
    static String requiredText(final JsonNode node, final String name, final String path) {
        final String text = text(node, name, path);
        if (text == null || text.isBlank()) {
            throw new InvalidAlertException(MISSING_FIELD, at(path, name) + " is required");
        }
        return text;
    }

    /** An object of strings (labels, annotations), in the sender's order; empty when absent. */
    static Map<String, String> strings(final JsonNode node, final String name, final String path) {
        final JsonNode v = field(node, name);
        final Map<String, String> values = new LinkedHashMap<>();
        if (v == null) {
            return values;
        }
        if (!v.isObject()) {
            throw new InvalidAlertException(WRONG_TYPE, at(path, name) + " must be an object of strings");
        }
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().isTextual()) {
                throw new InvalidAlertException(
                        WRONG_TYPE, at(path, name) + "." + Texts.abbreviate(e.getKey()) + " must be a string");
            }
            values.put(e.getKey(), e.getValue().textValue());
        }
        return values;
    }

    /** {@code path.name}, or just {@code name} at the top level. */
    static String at(final String path, final String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
