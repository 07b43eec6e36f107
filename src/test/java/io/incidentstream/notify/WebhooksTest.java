package io.incidentstream.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.codec.Json;
import io.incidentstream.errors.BadRequestException;
import io.incidentstream.errors.NotFoundException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhooksTest {
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private final InMemorySubscriptions store = new InMemorySubscriptions();
    private final Webhooks webhooks = new Webhooks(
            store,
            new DeliveryLog(),
            (d, stored) -> stored.run(),
            new AddressPolicy(false),
            Clock.fixed(NOW, ZoneOffset.UTC));

    private static JsonNode json(final String s) throws Exception {
        return Json.mapper().readTree(s);
    }

    private String message(final String body) {
        return assertThrows(BadRequestException.class, () -> webhooks.create("acme", json(body)))
                .getMessage();
    }

    @Test
    void shouldShowTheSecretOnceAtCreationAndNeverAfter() throws Exception {
        final Map<String, Object> created = webhooks.create("acme", json("{\"url\":\"https://hooks.example.com/x\"}"));
        final String id = (String) created.get("id");
        assertTrue(((String) created.get("secret")).startsWith("whsec_"));
        assertEquals(List.of(EventTypes.EVERY), created.get("events"), "every event, also later ones");
        assertEquals("standard", created.get("format"));
        assertFalse(webhooks.get("acme", id).containsKey("secret"));
        assertFalse(Json.mapper().writeValueAsString(webhooks.list("acme")).contains("whsec_"));
        assertEquals(1, webhooks.list("acme").size());
        assertEquals(List.of(), webhooks.list("other"));
        assertThrows(NotFoundException.class, () -> webhooks.get("other", id));
    }

    @Test
    void shouldNameTheFieldThatIsWrong() {
        assertTrue(message("{}").startsWith("url is required"));
        assertTrue(message("{\"url\":\"ftp://x.example.com\"}").startsWith("url must be an absolute http"));
        assertTrue(message("{\"url\":\"http://127.0.0.1:8080/\"}").startsWith("url points to a loopback"));
        assertTrue(message("{\"url\":\"https://a.example.com\",\"events\":[\"paged\"]}")
                .startsWith("events: unknown event paged"));
        assertTrue(message("{\"url\":\"https://a.example.com\",\"events\":[]}").startsWith("events must name"));
        assertTrue(message("{\"url\":\"https://a.example.com\",\"format\":\"teams\"}")
                .startsWith("format must be"));
        assertTrue(message("{\"url\":\"https://a.example.com\",\"filter\":{\"severity\":[\"huge\"]}}")
                .startsWith("filter.severity"));
        assertTrue(message("{\"url\":\"https://a.example.com\",\"filter\":{\"labels\":[\"x\"]}}")
                .startsWith("filter.labels"));
        assertTrue(message("{\"url\":\"https://a.example.com\",\"secret\":\"mine\"}")
                .startsWith("secret: unknown field"));
    }

    @Test
    void shouldKeepThePreviousSecretSigningForTheOverlapAfterARotation() throws Exception {
        final Map<String, Object> created = webhooks.create(
                "acme", json("{\"url\":\"https://a.example.com\",\"events\":[\"incident.opened\",\"resolved\"]}"));
        final String id = (String) created.get("id");
        assertEquals(List.of("opened", "resolved"), created.get("events"));
        final Map<String, Object> rotated = webhooks.rotateSecret("acme", id);
        assertNotEquals(created.get("secret"), rotated.get("secret"));
        assertEquals(NOW.plus(Webhooks.ROTATION_OVERLAP), rotated.get("previousSecretExpiresAt"));
        final WebhookSubscription s = store.get("acme", id).orElseThrow();
        assertEquals(List.of(rotated.get("secret"), created.get("secret")), s.signingSecrets(NOW));
        assertEquals(List.of(rotated.get("secret")), s.signingSecrets(NOW.plus(Webhooks.ROTATION_OVERLAP)));
    }

    @Test
    void shouldChangeOnlyTheFieldsAPatchNames() throws Exception {
        final String id = (String) webhooks.create("acme", json("{\"url\":\"https://a.example.com\"}"))
                .get("id");
        final Map<String, Object> patched =
                webhooks.update("acme", id, json("{\"format\":\"slack\",\"filter\":{\"severity\":[\"critical\"]}}"));
        assertEquals("slack", patched.get("format"));
        assertEquals("https://a.example.com", patched.get("url"));
        webhooks.delete("acme", id);
        assertThrows(NotFoundException.class, () -> webhooks.get("acme", id));
    }
}
