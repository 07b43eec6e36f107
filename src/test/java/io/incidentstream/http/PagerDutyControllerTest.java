package io.incidentstream.http;

import static io.incidentstream.http.HttpFakes.json;
import static io.incidentstream.http.HttpFakes.postRaw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.errors.UnavailableException;
import io.incidentstream.http.HttpFakes.RecordingSink;
import io.incidentstream.ingest.Payloads;
import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.AlertStatus;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import io.javalin.testtools.TestCase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code POST /v2/enqueue}: PagerDuty's answers, success and error shapes. */
class PagerDutyControllerTest {
    private static final String PATH = "/v2/enqueue";

    private final RecordingSink sink = new RecordingSink();

    private void run(final TestCase test) {
        JavalinTest.test(AlertmanagerControllerTest.app(sink, HttpFakes.DEFAULT_MAX_BODY), test);
    }

    private static void assertPagerDutyError(final Response response, final String fragment) {
        assertEquals(400, response.code(), response.body().string());
        final JsonNode body = json(response);
        assertEquals("invalid event", body.get("status").asText());
        assertEquals("Event object is invalid", body.get("message").asText());
        assertTrue(body.get("errors").isArray() && !body.get("errors").isEmpty(), body.toString());
        assertTrue(body.get("errors").toString().contains(fragment), body + " should mention " + fragment);
    }

    @Test
    void shouldAnswer202WithTheDedupKeyOnceTheBrokerHasTheEvent() {
        run((server, client) -> {
            final Response response = postRaw(client, PATH, Payloads.sharedExample("pagerduty-events-v2-trigger.json"));
            assertEquals(202, response.code(), response.body().string());
            assertEquals(
                    "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"srv01/mysql\"}",
                    response.body().string());
        });
        final AlertEvent event = sink.events().get(0);
        assertEquals("srv01/mysql", event.alertId());
        assertEquals(AlertmanagerControllerTest.NOW, event.checkedAt());
    }

    @Test
    void shouldReturnTheGeneratedDedupKeySoTheSenderCanResolveLater() {
        final String trigger = "{\"routing_key\": \"k\", \"event_action\": \"trigger\", "
                + "\"payload\": {\"summary\": \"Example alert on host1.example.com\", \"source\": \"host1\", \"severity\": \"error\"}}";
        run((server, client) -> {
            final String key =
                    json(postRaw(client, PATH, trigger)).get("dedup_key").asText();
            assertEquals(sink.events().get(0).alertId(), key);
            final Response resolved = postRaw(
                    client,
                    PATH,
                    "{\"routing_key\": \"k\", \"event_action\": \"resolve\", \"dedup_key\": \"" + key + "\"}");
            assertEquals(202, resolved.code());
            assertEquals(key, json(resolved).get("dedup_key").asText());
        });
        assertEquals(
                List.of(AlertStatus.FIRING, AlertStatus.RESOLVED),
                sink.events().stream().map(AlertEvent::status).toList());
    }

    @Test
    void shouldAnswerAnInvalidEventInPagerDutysShapeListingEveryError() {
        run((server, client) -> {
            final Response response =
                    postRaw(client, PATH, "{\"event_action\": \"trigger\", \"payload\": {\"source\": \"h\"}}");
            assertPagerDutyError(response, "routing_key");
            final JsonNode errors = json(response).get("errors");
            assertEquals(3, errors.size(), errors.toString());
        });
        assertEquals(List.of(), sink.batches);
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "{\"routing_key\":", "[]"})
    void shouldAnswerAnUnreadableBodyInPagerDutysShape(final String body) {
        run((server, client) -> assertPagerDutyError(postRaw(client, PATH, body), ""));
        assertEquals(List.of(), sink.batches);
    }

    @Test
    void shouldRefuseAcknowledgeAsNotSupportedYet() {
        run((server, client) -> assertPagerDutyError(
                postRaw(
                        client,
                        PATH,
                        "{\"routing_key\": \"k\", \"dedup_key\": \"d\", \"event_action\": \"acknowledge\"}"),
                "not supported yet"));
        assertEquals(List.of(), sink.batches);
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenTheBrokerDoesNotAcknowledge() {
        sink.failure = new UnavailableException("the broker did not acknowledge in time", Duration.ofSeconds(5));
        run((server, client) -> {
            final Response response = postRaw(client, PATH, Payloads.sharedExample("pagerduty-events-v2-trigger.json"));
            assertEquals(503, response.code());
            assertEquals(List.of("5"), response.headers().get("Retry-After"));
            assertTrue(json(response).get("message").asText().contains("acknowledge"));
        });
    }
}
