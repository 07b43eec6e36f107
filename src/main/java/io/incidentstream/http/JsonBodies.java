package io.incidentstream.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.codec.Json;
import io.incidentstream.errors.BadRequestException;
import io.javalin.http.Context;
import java.io.IOException;

/** A request's JSON body, or a 400 saying why there is none: empty, not JSON, or unreadable. */
final class JsonBodies {
    private JsonBodies() {}

    static JsonNode of(final Context ctx) {
        final byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            throw new BadRequestException("the request body is empty; send a JSON object");
        }
        try {
            return Json.mapper().readTree(bytes);
        } catch (JacksonException e) {
            throw new BadRequestException("the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRequestException("the request body could not be read");
        }
    }
}
