package io.incidentstream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.incidentstream.http.HttpFakes.FakeHealth;
import io.incidentstream.http.HttpFakes.RecordingQueries;
import io.incidentstream.http.HttpFakes.RecordingSink;
import io.incidentstream.ingest.AlertDecoder;
import io.incidentstream.notify.AddressPolicy;
import io.incidentstream.notify.Delivery;
import io.incidentstream.notify.DeliveryLog;
import io.incidentstream.notify.InMemorySubscriptions;
import io.incidentstream.notify.Webhooks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Every declared answer of {@code /webhooks*} but the auth ones, over in-memory subscriptions. */
final class WebhookContract {
    private WebhookContract() {}

    static Webhooks webhooks() {
        return webhooks(new DeliveryLog());
    }

    private static Webhooks webhooks(final DeliveryLog log) {
        return new Webhooks(
                new InMemorySubscriptions(),
                log,
                (d, stored) -> stored.run(),
                new AddressPolicy(false),
                Clock.systemUTC());
    }

    static void exercise(final OpenApiContract contract) {
        final DeliveryLog log = new DeliveryLog();
        final var app = HttpApi.builder(
                        new RecordingQueries(),
                        new AlertDecoder(Duration.ofMinutes(5)),
                        new RecordingSink(),
                        new FakeHealth())
                .webhooks(webhooks(log))
                .build()
                .start("127.0.0.1", 0);
        try {
            final ContractClient client = new ContractClient(app.port(), contract);
            final var created = client.post(
                    "/webhooks",
                    "{\"url\":\"https://hooks.example.com/in\",\"events\":[\"opened\",\"resolved\"],"
                            + "\"filter\":{\"severity\":[\"critical\"],\"labels\":[\"service=checkout\"]}}");
            assertEquals(201, created.status(), created.body());
            final String id = created.json().get("id").asText();
            assertEquals(400, client.post("/webhooks", "{\"url\":\"ftp://x\"}").status());
            assertEquals(200, client.get("/webhooks").status());
            final var one = client.get("/webhooks/" + id);
            assertEquals(200, one.status());
            assertFalse(one.body().contains("whsec_"), "the secret is shown once only");
            assertEquals(404, client.get("/webhooks/wh_missing").status());
            assertEquals(
                    200,
                    client.patch("/webhooks/" + id, "{\"format\":\"slack\"}").status());
            assertEquals(
                    400,
                    client.patch("/webhooks/" + id, "{\"format\":\"teams\"}").status());
            assertEquals(404, client.patch("/webhooks/wh_missing", "{}").status());
            assertEquals(
                    200,
                    client.send("POST", "/webhooks/" + id + "/rotate-secret", null, null)
                            .status());
            assertEquals(
                    404,
                    client.send("POST", "/webhooks/wh_missing/rotate-secret", null, null)
                            .status());
            final Instant now = Instant.now();
            log.record(
                    "default/" + id,
                    new DeliveryLog.Entry(
                            "dlv_1",
                            "incident.0.1:opened:000000000001",
                            "incident.opened",
                            "incident.0.1",
                            "failed",
                            3,
                            503,
                            12L,
                            "HTTP 503; given up",
                            now,
                            now,
                            null,
                            new Delivery(
                                    "dlv_1",
                                    "incident.0.1:opened:000000000001",
                                    "default",
                                    id,
                                    "opened",
                                    now,
                                    HttpFakes.incident("incident.0.1"),
                                    3,
                                    now,
                                    null,
                                    now,
                                    null)));
            assertEquals(200, client.get("/webhooks/" + id + "/deliveries").status());
            assertEquals(404, client.get("/webhooks/wh_missing/deliveries").status());
            assertEquals(
                    202,
                    client.send("POST", "/webhooks/" + id + "/deliveries/dlv_1/redeliver", null, null)
                            .status());
            assertEquals(
                    404,
                    client.send("POST", "/webhooks/" + id + "/deliveries/dlv_2/redeliver", null, null)
                            .status());
            assertEquals(204, client.delete("/webhooks/" + id).status());
            assertEquals(404, client.delete("/webhooks/" + id).status());
        } finally {
            app.stop();
        }
    }
}
