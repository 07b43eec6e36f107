package io.incidentstream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.incidentstream.codec.Json;
import io.incidentstream.http.HttpFakes.FakeHealth;
import io.incidentstream.http.HttpFakes.RecordingSink;
import io.incidentstream.model.Bounds;
import io.incidentstream.model.Incident;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every bound of a write, answered over HTTP: one past the bound is a 400 whose {@code message} names
 * the field, and nothing is applied; at the bound the write is applied. Over real in-memory stores
 * and the real command rules ({@link WriteHarness}).
 */
class IncidentWriteBoundsTest {
    private static final long MAX_BODY = 1 << 20;
    /** Three bytes in UTF-8 and as JSON: 16,384 of them are the largest accepted note. */
    private static final String EURO = "€";

    private final WriteHarness harness = new WriteHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    private void test(final BiConsumer<io.javalin.Javalin, HttpClient> test) {
        JavalinTest.test(harness.app(new RecordingSink(), new FakeHealth(), null, MAX_BODY), test::accept);
    }

    private static Response send(final HttpClient client, final String method, final String path, final Object body) {
        final String json =
                body instanceof String s ? s : Json.mapper().valueToTree(body).toString();
        final HttpRequest.BodyPublisher bytes = HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8);
        return client.request(path, b -> {
            b.header("Content-Type", "application/json");
            if (method.equals("PATCH")) {
                b.patch(bytes);
            } else {
                b.post(bytes);
            }
        });
    }

    private static ObjectNode body(final String field, final String value) {
        final ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put(field, value);
        return body;
    }

    private static String message(final Response response) {
        assertEquals(400, response.code());
        return HttpFakes.json(response).get("message").textValue();
    }

    private static String create(final HttpClient client) {
        final Response created = send(client, "POST", "/incidents", body("title", "Checkout slow"));
        assertEquals(201, created.code());
        return HttpFakes.json(created).get("id").textValue();
    }

    @Test
    void shouldAnswer400NamingTheFieldForEachTextOverItsBound() {
        test((server, client) -> {
            final String id = create(client);
            final String path = "/incidents/" + id;
            assertEquals(
                    "title is longer than 1024 characters",
                    message(send(client, "POST", "/incidents", body("title", "t".repeat(1025)))));
            assertEquals(
                    "title is longer than 1024 characters",
                    message(send(client, "PATCH", path, body("title", "t".repeat(1025)))));
            assertEquals(
                    "assignee is longer than 1024 characters",
                    message(send(client, "PATCH", path, body("assignee", "a".repeat(1025)))));
            for (String field : new String[] {"description", "note"}) {
                assertEquals(
                        field + " is longer than 16384 characters",
                        message(send(client, "PATCH", path, body(field, "d".repeat(Bounds.MAX_TEXT_CHARS + 1)))));
                assertEquals(
                        field + " is larger than 49152 bytes as JSON (UTF-8; a control character counts 6)",
                        message(send(
                                client,
                                "PATCH",
                                path,
                                body(field, EURO.repeat(Bounds.MAX_TEXT_CHARS - 1) + "\u0001"))));
                final ObjectNode create = body("title", "t");
                create.put(field, "d".repeat(Bounds.MAX_TEXT_CHARS + 1));
                assertEquals(
                        field + " is longer than 16384 characters",
                        message(send(client, "POST", "/incidents", create)));
            }
            final JsonNode unchanged = HttpFakes.json(client.get(path));
            assertEquals("Checkout slow", unchanged.get("title").textValue());
            assertEquals(1, unchanged.get("timeline").size(), "no refused note reached the timeline");
        });
    }

    @Test
    void shouldAnswer400NamingTheLabelOverItsBound() {
        test((server, client) -> {
            assertEquals("labels must be an object of at most 64 strings", message(createWithLabels(client, 65, 1)));
            final ObjectNode longName = body("title", "t");
            longName.putObject("labels").put("k".repeat(129), "v");
            assertEquals(
                    "labels." + "k".repeat(40) + "…: the name is longer than 128 characters",
                    message(send(client, "POST", "/incidents", longName)));
            final ObjectNode longValue = body("title", "t");
            longValue.putObject("labels").put("team", "v".repeat(1025));
            assertEquals(
                    "labels.team is longer than 1024 characters",
                    message(send(client, "POST", "/incidents", longValue)));
            final String tooMuch = message(createWithLabels(client, 20, Bounds.MAX_LABEL_VALUE_CHARS));
            assertTrue(
                    tooMuch.startsWith("labels are ") && tooMuch.endsWith(" bytes as JSON, more than 16384"), tooMuch);
        });
    }

    @Test
    void shouldAcceptEveryFieldAtItsBound() {
        test((server, client) -> {
            final ObjectNode body = body("title", "t".repeat(Bounds.MAX_TITLE_CHARS));
            body.put("description", EURO.repeat(Bounds.MAX_TEXT_CHARS));
            body.put("note", EURO.repeat(Bounds.MAX_TEXT_CHARS));
            body.put("assignee", "a".repeat(Bounds.MAX_ASSIGNEE_CHARS));
            final ObjectNode labels = body.putObject("labels");
            for (int i = 0; i < Bounds.MAX_LABELS; i++) {
                labels.put(String.format("k%02d", i), "v".repeat(240));
            }
            final Response created = send(client, "POST", "/incidents", body);
            assertEquals(201, created.code());
            final JsonNode incident = HttpFakes.json(created);
            assertEquals(
                    EURO.repeat(Bounds.MAX_TEXT_CHARS),
                    incident.get("description").textValue());
            assertEquals(Bounds.MAX_LABELS, incident.get("labels").size());
        });
    }

    /** The attack that used to stop the stream thread: notes of the largest accepted size, one after another. */
    @Test
    void shouldKeepAcceptingLargestNotesDroppingTheOldestTimelineEntries() {
        test((server, client) -> {
            final String id = create(client);
            Response last = null;
            for (int n = 1; n <= 30; n++) {
                last = send(
                        client, "PATCH", "/incidents/" + id, body("note", n + EURO.repeat(Bounds.MAX_TEXT_CHARS - 2)));
                assertEquals(200, last.code());
            }
            final String json = last.body().string();
            assertTrue(
                    json.getBytes(StandardCharsets.UTF_8).length <= Bounds.MAX_INCIDENT_BYTES,
                    json.length() + " chars");
            final Incident incident = incident(json);
            assertEquals(31, incident.timeline().size() + incident.timelineDropped(), "every entry kept or counted");
            assertTrue(incident.timeline()
                    .get(incident.timeline().size() - 1)
                    .note()
                    .startsWith("30" + EURO));
        });
    }

    @Test
    void shouldAnswer404ForAnIdLongerThanAnyIncidentId() {
        test((server, client) -> {
            final Response patched = send(client, "PATCH", "/incidents/" + "i".repeat(300), body("note", "x"));
            assertEquals(404, patched.code());
            assertTrue(HttpFakes.json(patched).get("message").textValue().length() < 100, "the id is not echoed whole");
            assertEquals(
                    404,
                    client.request("/incidents/" + "i".repeat(300), b -> b.delete(HttpRequest.BodyPublishers.noBody()))
                            .code());
        });
    }

    private static Incident incident(final String json) {
        try {
            return Json.mapper().readValue(json, Incident.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Response createWithLabels(final HttpClient client, final int count, final int valueChars) {
        final ObjectNode body = body("title", "t");
        final ObjectNode labels = body.putObject("labels");
        for (int i = 0; i < count; i++) {
            labels.put("k" + i, EURO.repeat(valueChars));
        }
        return send(client, "POST", "/incidents", body);
    }
}
