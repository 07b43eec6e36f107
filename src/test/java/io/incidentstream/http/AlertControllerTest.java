package io.incidentstream.http;

import static io.incidentstream.http.HttpFakes.json;
import static io.incidentstream.http.HttpFakes.postRaw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.codec.Json;
import io.incidentstream.errors.UnavailableException;
import io.incidentstream.http.HttpFakes.FakeHealth;
import io.incidentstream.http.HttpFakes.RecordingQueries;
import io.incidentstream.http.HttpFakes.RecordingSink;
import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.AlertStatus;
import io.incidentstream.model.Severity;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import io.javalin.testtools.TestCase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code POST /alerts}: decoding, all-or-nothing batches, size limit and broker failures. */
class AlertControllerTest {
    private static final String MINIMAL = """
        {"alertId": "%s", "status": "firing", "checkedAt": "2026-11-23T10:00:00Z"}""";

    private final RecordingSink sink = new RecordingSink();

    private void run(final TestCase test) {
        JavalinTest.test(HttpFakes.app(new RecordingQueries(), sink), test);
    }

    private static String alert(final String alertId) {
        return MINIMAL.formatted(alertId);
    }

    private static void assertError(final Response response, final int status, final String... fragments) {
        assertEquals(status, response.code(), response.body().string());
        final JsonNode body = json(response);
        assertTrue(body.path("message").isTextual(), "no message in " + body);
        for (String fragment : fragments) {
            assertTrue(body.get("message").asText().contains(fragment), body + " should contain " + fragment);
        }
    }

    @Test
    void shouldMeasureTheAlertLimitInBytesAsProducedNotInCharacters() {
        // 40,000 'é' are 40,000 characters but 80,000 UTF-8 bytes: over the topic's 64 KiB limit, so
        // accepting it would only have it dead-lettered by the topology after a 202.
        final String wide = "{\"alertId\": \"wide\", \"status\": \"FIRING\", \"checkedAt\": \"2026-11-23T10:00:00Z\","
                + " \"reportData\": {\"text\": \"" + "é".repeat(40_000) + "\"}}";
        run((server, client) -> assertError(postRaw(client, "/alerts", wide), 400, "alert", "bytes"));
        assertTrue(sink.batches.isEmpty());
    }

    @Test
    void shouldAcceptOneAlertAndPublishItNormalisedWithDefaults() {
        run((server, client) -> {
            final Response response = postRaw(client, "/alerts", alert("disk-full"));
            assertEquals(202, response.code(), response.body().string());
            assertEquals(Map.of("accepted", 1), asMap(response));
        });
        assertEquals(1, sink.batches.size());
        final AlertEvent event = sink.events().get(0);
        assertEquals("disk-full", event.alertId());
        assertEquals(AlertStatus.FIRING, event.status());
        assertEquals(Instant.parse("2026-11-23T10:00:00Z"), event.checkedAt());
        assertEquals(Instant.parse("2026-11-23T10:00:00Z").plus(HttpFakes.TTL), event.validUntil());
        assertEquals(AlertEvent.DEFAULT_TENANT, event.tenantId());
        assertEquals(Severity.MEDIUM, event.severity());
        assertEquals(1, event.alertVersion());
        assertEquals("disk-full", event.alertTemplateId());
        assertEquals(Map.of(), event.labels());
        assertNull(event.title());
    }

    @Test
    void shouldAcceptABatchAndPublishItInOrder() {
        run((server, client) -> {
            final Response response =
                    postRaw(client, "/alerts", "[" + alert("a") + "," + alert("b") + "," + alert("c") + "]");
            assertEquals(202, response.code(), response.body().string());
            assertEquals(Map.of("accepted", 3), asMap(response));
        });
        assertEquals(
                List.of("a", "b", "c"),
                sink.events().stream().map(AlertEvent::alertId).toList());
    }

    @Test
    void shouldRejectTheWholeBatchNamingTheBadItemAndField() {
        final String bad = "{\"alertId\": \"c\", \"status\": \"FIRING\"}";
        run((server, client) -> assertError(
                postRaw(client, "/alerts", "[" + alert("a") + "," + alert("b") + "," + bad + "," + alert("d") + "]"),
                400,
                "alerts[2]",
                "checkedAt"));
        assertEquals(List.of(), sink.batches, "nothing of a rejected batch may be published");
    }

    @Test
    void shouldNameTheFieldOfASingleBadAlert() {
        run((server, client) -> assertError(
                postRaw(
                        client,
                        "/alerts",
                        "{\"alertId\": \"x\", \"status\": \"burning\", \"checkedAt\": 1764000000000}"),
                400,
                "status"));
        assertEquals(List.of(), sink.batches);
    }

    @Test
    void shouldRefuseConcatenatedAlertsInsteadOfAcceptingOnlyTheFirst() {
        run((server, client) -> assertError(postRaw(client, "/alerts", alert("a") + alert("b")), 400));
        assertEquals(List.of(), sink.batches, "a second JSON value must not be silently dropped");
    }

    @ParameterizedTest(name = "body: [{0}]")
    @ValueSource(strings = {"", "{\"alertId\":", "not json", "[]", "42", "\"text\"", "true", "null", "[42]"})
    void shouldAnswer400ForABodyThatIsNotAnAlertOrAnArrayOfThem(final String body) {
        run((server, client) -> assertError(postRaw(client, "/alerts", body), 400));
        assertEquals(List.of(), sink.batches);
    }

    @Test
    void shouldAnswer413WhenTheBodyExceedsTheLimit() {
        final String big = "[" + String.join(",", Collections.nCopies(30, alert("a"))) + "]";
        assertTrue(big.length() > 1024);
        JavalinTest.test(
                HttpFakes.app(new RecordingQueries(), sink, new FakeHealth(), null, 1024), (server, client) -> {
                    assertError(postRaw(client, "/alerts", big), 413);
                    assertEquals(
                            202,
                            postRaw(client, "/alerts", alert("small")).code(),
                            "a body under the limit still passes");
                });
        assertEquals(
                List.of("small"),
                sink.events().stream().map(AlertEvent::alertId).toList());
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenTheBrokerDoesNotAcknowledge() {
        sink.failure = new UnavailableException("the broker did not acknowledge in time", Duration.ofSeconds(5));
        run((server, client) -> {
            final Response response = postRaw(client, "/alerts", alert("a"));
            assertError(response, 503, "acknowledge");
            assertEquals(List.of("5"), response.headers().get("Retry-After"));
        });
    }

    @Test
    void shouldAcceptTheNativeAlertExample() throws IOException {
        final Path example = Path.of(System.getProperty("user.dir")).resolve("../shared/examples/native-alert.json");
        final Path file = Files.exists(example) ? example : Path.of("/work/shared/examples/native-alert.json");
        Assumptions.assumeTrue(Files.exists(file), "example file not found: " + example);
        final String body = Files.readString(file);
        run((server, client) -> {
            final Response response = postRaw(client, "/alerts", body);
            assertEquals(202, response.code(), response.body().string());
            assertEquals(Map.of("accepted", 1), asMap(response));
        });
        final AlertEvent event = sink.events().get(0);
        assertEquals("alert.1zYnCiM9Bpg.lv25y", event.alertId());
        assertEquals("abcd-efgh-ijkl-mnop", event.alertTemplateId());
        assertEquals(Severity.HIGH, event.severity());
        assertEquals(Instant.parse("2026-11-23T10:05:00Z"), event.validUntil());
        assertEquals(Map.of("service", "billing"), event.labels());
        assertEquals(10, event.reportData().get("usageValue").asInt());
    }

    private static Map<String, Object> asMap(final Response response) {
        try {
            return Json.mapper().readValue(response.body().string(), new TypeReference<Map<String, Object>>() {});
        } catch (IOException e) {
            throw new AssertionError("not a JSON object: " + response.body().string(), e);
        }
    }
}
