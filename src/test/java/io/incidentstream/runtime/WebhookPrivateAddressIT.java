package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.testkit.ApiClient;
import io.incidentstream.testkit.WebhookReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code WEBHOOK_ALLOW_PRIVATE} at its default (false), a tenant cannot make the server call
 * inside the network: a literal loopback URL is refused when subscribing, and a host name that
 * resolves to loopback is refused at delivery, after resolution, before any connection.
 */
class WebhookPrivateAddressIT {
    @TempDir
    static Path dataDir;

    @Test
    void shouldRefuseReceiversOnLoopbackWhenPrivateAddressesAreNotAllowed() throws Exception {
        try (TestApp app = TestApp.start(dataDir, "webhook-private-it", Map.of());
                WebhookReceiver receiver = WebhookReceiver.start()) {
            final ApiClient api = app.api();
            final JsonNode literal = api.post("/webhooks", Map.of("url", receiver.url("/hook")))
                    .assertStatus(400)
                    .json();
            assertTrue(literal.get("message").asText().startsWith("url points to a loopback"), literal.toString());

            final String byName = receiver.url("/hook").replace("127.0.0.1", "localhost");
            final String sub = api.post("/webhooks", Map.of("url", byName))
                    .assertStatus(201)
                    .json()
                    .get("id")
                    .asText();
            final Instant t = Instant.now();
            api.post(
                            "/alerts",
                            Map.of(
                                    "alertId",
                                    "private-1",
                                    "status",
                                    "FIRING",
                                    "checkedAt",
                                    t.toString(),
                                    "validUntil",
                                    t.plus(Duration.ofHours(1)).toString()))
                    .assertStatus(202);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                final JsonNode log =
                        api.json("/webhooks/" + sub + "/deliveries").get("data");
                return log.size() == 1 && log.get(0).get("status").asText().equals("refused");
            });
            final JsonNode entry =
                    api.json("/webhooks/" + sub + "/deliveries").get("data").get(0);
            assertTrue(entry.get("lastError").asText().contains("WEBHOOK_ALLOW_PRIVATE"), entry.toString());
            assertEquals(List.of(), receiver.requests(), "the receiver was never called");
        }
    }
}
