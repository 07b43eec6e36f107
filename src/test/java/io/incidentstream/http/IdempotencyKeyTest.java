package io.incidentstream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.http.HttpFakes.FakeHealth;
import io.incidentstream.http.HttpFakes.RecordingSink;
import io.incidentstream.testkit.ApiResponse;
import io.javalin.Javalin;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An Idempotency-Key names one request: the same request again gets the first answer and changes
 * nothing, another body under the key is a 422 with a message and changes nothing either.
 */
class IdempotencyKeyTest {
    private final WriteHarness harness = new WriteHarness();
    private Javalin app;
    private ContractClient client;

    @BeforeEach
    void start() {
        app = harness.app(new RecordingSink(), new FakeHealth(), null, 65_536).start("127.0.0.1", 0);
        client = new ContractClient(app.port(), OpenApiContract.load());
    }

    @AfterEach
    void stop() {
        app.stop();
        harness.close();
    }

    private ApiResponse send(final String method, final String path, final String body, final String key) {
        return client.send(method, path, body, null, Map.of("Idempotency-Key", key));
    }

    private static JsonNode json(final ApiResponse response) {
        return response.json();
    }

    @Test
    void shouldAnswerTheFirstCreateToTheSameRequestRepeated() throws IOException {
        final ApiResponse first = send("POST", "/incidents", "{\"title\":\"Checkout slow\"}", "k1");
        final ApiResponse again = send("POST", "/incidents", "{ \"title\" : \"Checkout slow\" }", "k1");
        assertEquals(201, first.status(), first::body);
        assertEquals(201, again.status(), again::body);
        assertEquals(json(first).get("id"), json(again).get("id"));
    }

    @Test
    void shouldRefuseACreateWithAnotherBodyUnderAUsedKeyAndChangeNothing() throws IOException {
        final ApiResponse first = send("POST", "/incidents", "{\"title\":\"Checkout slow\"}", "k2");
        final String id = json(first).get("id").asText();

        final ApiResponse other =
                send("POST", "/incidents", "{\"title\":\"Checkout down\",\"severity\":\"critical\"}", "k2");

        assertEquals(422, other.status(), other::body);
        assertTrue(json(other).get("message").asText().contains("Idempotency-Key"), other::body);
        assertEquals(
                "Checkout slow",
                json(client.get("/incidents/" + id)).get("title").asText());
    }

    @Test
    void shouldRefuseAnUpdateWithAnotherBodyUnderAUsedKeyAndApplyTheNoteOnce() throws IOException {
        final String id = json(client.post("/incidents", "{\"title\":\"Disk full\"}"))
                .get("id")
                .asText();
        final String path = "/incidents/" + id;
        assertEquals(200, send("PATCH", path, "{\"note\":\"looking\"}", "k3").status());
        assertEquals(200, send("PATCH", path, "{\"note\":\"looking\"}", "k3").status());

        final ApiResponse other = send("PATCH", path, "{\"status\":\"RESOLVED\"}", "k3");

        assertEquals(422, other.status(), other::body);
        final JsonNode incident = json(client.get(path));
        assertEquals("ACTIVE", incident.get("status").asText());
        assertEquals(2, incident.get("timeline").size(), "created, and the note once: " + incident);
    }
}
