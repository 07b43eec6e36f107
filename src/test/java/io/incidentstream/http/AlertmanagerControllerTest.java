package io.incidentstream.http;

import static io.incidentstream.http.HttpFakes.json;
import static io.incidentstream.http.HttpFakes.postRaw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.errors.UnavailableException;
import io.incidentstream.http.HttpFakes.FakeHealth;
import io.incidentstream.http.HttpFakes.RecordingQueries;
import io.incidentstream.http.HttpFakes.RecordingSink;
import io.incidentstream.ingest.AlertDecoder;
import io.incidentstream.ingest.Payloads;
import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.AlertStatus;
import io.javalin.Javalin;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import io.javalin.testtools.TestCase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code POST /alerts/alertmanager} and {@code POST /api/v2/alerts} over a recording sink and a fixed clock. */
class AlertmanagerControllerTest {
    static final Instant NOW = Instant.parse("2026-11-25T16:37:57.600Z");
    private static final String WEBHOOK = "/alerts/alertmanager";
    private static final String API = "/api/v2/alerts";

    private final RecordingSink sink = new RecordingSink();

    static Javalin app(final RecordingSink sink, final long maxBody) {
        return HttpApi.builder(new RecordingQueries(), new AlertDecoder(HttpFakes.TTL), sink, new FakeHealth())
                .maxBodyBytes(maxBody)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build();
    }

    private void run(final TestCase test) {
        JavalinTest.test(app(sink, HttpFakes.DEFAULT_MAX_BODY), test);
    }

    private static void assertMessage(final Response response, final int status, final String fragment) {
        assertEquals(status, response.code(), response.body().string());
        final JsonNode body = json(response);
        assertEquals(1, body.size(), "only {\"message\"}: " + body);
        assertTrue(body.path("message").asText().contains(fragment), body + " should mention " + fragment);
    }

    @Test
    void shouldAcceptAWebhookNotificationOnceTheBrokerHasIt() {
        run((server, client) -> {
            final Response response =
                    postRaw(client, WEBHOOK, Payloads.captured("alertmanager-0.25-webhook-firing.json"));
            assertEquals(202, response.code(), response.body().string());
            assertEquals(1, json(response).get("accepted").asInt());
        });
        assertEquals(1, sink.batches.size());
        final AlertEvent event = sink.events().get(0);
        assertEquals("efb0c6c488e007da", event.alertId());
        assertEquals(NOW, event.checkedAt(), "the injected clock gives the receive time");
    }

    @Test
    void shouldAnswerPrometheusWith200AndAnEmptyBodyAsAlertmanagerDoes() {
        run((server, client) -> {
            final Response response = postRaw(client, API, Payloads.captured("prometheus-2.42-postable-alerts.json"));
            assertEquals(200, response.code());
            assertEquals("", response.body().string());
        });
        final AlertEvent event = sink.events().get(0);
        assertEquals("2dc6ade02cfdd11b", event.alertId());
        assertEquals(AlertStatus.FIRING, event.status());
        assertEquals(Instant.parse("2026-11-25T16:38:01.591Z"), event.validUntil());
    }

    @Test
    void shouldPublishAllAlertsOfARequestInOneBatch() {
        final String body = "[{\"labels\": {\"alertname\": \"A\"}}, {\"labels\": {\"alertname\": \"B\"}}, "
                + "{\"labels\": {\"alertname\": \"C\"}, \"endsAt\": \"2026-11-25T16:00:00Z\"}]";
        run((server, client) -> assertEquals(200, postRaw(client, API, body).code()));
        assertEquals(1, sink.batches.size());
        assertEquals(
                List.of(AlertStatus.FIRING, AlertStatus.FIRING, AlertStatus.RESOLVED),
                sink.events().stream().map(AlertEvent::status).toList());
    }

    @Test
    void shouldNotTouchTheBrokerForAnEmptyBatch() {
        run((server, client) -> {
            assertEquals(200, postRaw(client, API, "[]").code());
            assertEquals(202, postRaw(client, WEBHOOK, "{\"alerts\": []}").code());
        });
        assertEquals(List.of(), sink.batches);
    }

    @Test
    void shouldRejectAWebhookWithOneBadAlertWholeNamingIt() {
        final String body = "{\"alerts\": [{\"status\": \"firing\", \"labels\": {\"alertname\": \"A\"}}, "
                + "{\"status\": \"firing\", \"labels\": {\"alertname\": \"B\"}, \"startsAt\": \"noon\"}]}";
        run((server, client) -> assertMessage(postRaw(client, WEBHOOK, body), 400, "alerts[1].startsAt"));
        assertEquals(List.of(), sink.batches, "nothing of a rejected request may be published");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {WEBHOOK, API})
    void shouldAnswer400WithAMessageForABodyThatIsNotJson(final String path) {
        run((server, client) -> assertMessage(postRaw(client, path, "{\"alerts\": ["), 400, "JSON"));
        assertEquals(List.of(), sink.batches);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {WEBHOOK, API})
    void shouldAnswer503WithRetryAfterWhenTheBrokerDoesNotAcknowledge(final String path) {
        sink.failure = new UnavailableException("the broker did not acknowledge in time", Duration.ofSeconds(5));
        final String body = path.equals(API)
                ? "[{\"labels\": {\"alertname\": \"A\"}}]"
                : Payloads.captured("alertmanager-0.25-webhook-firing.json");
        run((server, client) -> {
            final Response response = postRaw(client, path, body);
            assertMessage(response, 503, "acknowledge");
            assertEquals(List.of("5"), response.headers().get("Retry-After"));
        });
    }

    @Test
    void shouldAnswer413OverTheBodyLimit() {
        JavalinTest.test(app(sink, 512), (server, client) -> {
            final String big = "[{\"labels\": {\"alertname\": \"" + "x".repeat(600) + "\"}}]";
            assertEquals(413, postRaw(client, API, big).code());
            assertEquals(
                    413, postRaw(client, WEBHOOK, "{\"alerts\": " + big + "}").code());
        });
        assertEquals(List.of(), sink.batches);
    }
}
