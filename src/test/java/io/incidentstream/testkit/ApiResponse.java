package io.incidentstream.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.codec.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** One answer of the API as a test reads it: the status, the body as text, the headers. */
public record ApiResponse(int status, String body, HttpHeaders headers) {

    /** The body parsed as JSON, whatever the status (error bodies are JSON too). */
    public JsonNode json() {
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON (" + status + "): " + Texts.abbreviate(body, 300), e);
        }
    }

    /** Fails the test, naming the body, unless the status is {@code expected}; returns this response. */
    public ApiResponse assertStatus(final int expected) {
        assertEquals(expected, status, () -> "status of a response with body " + Texts.abbreviate(body, 2000));
        return this;
    }

    /** The first value of a header, by name in any case. */
    public Optional<String> header(final String name) {
        return headers.firstValue(name);
    }

    /** Every header, its name in lower case and its values joined by commas. */
    public Map<String, String> headersByLowerCaseName() {
        final Map<String, String> byName = new TreeMap<>();
        headers.map().forEach((name, values) -> byName.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        return byName;
    }
}
