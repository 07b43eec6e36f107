package io.incidentstream.http;

import static io.incidentstream.http.AuthFixture.ALL;
import static io.incidentstream.http.AuthFixture.GLOBEX_ALL;
import static io.incidentstream.http.AuthFixture.send;
import static io.incidentstream.http.HttpFakes.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.auth.RateLimiter;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The rate limit per token through HTTP (a fake clock, no sleeps), and cursors bound to their tenant. */
class AuthRateLimitAndCursorTest {
    private final AuthFixture fixture = new AuthFixture();
    private final AtomicLong now = new AtomicLong();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void shouldAnswer429WithRetryAfterOncePastTheRateAndRecoverAsItRefills() {
        final RateLimiter limiter = new RateLimiter(3, now::get);
        JavalinTest.test(fixture.api(limiter, false).build(), (server, client) -> {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, send(client, "GET", "/incidents", ALL, null).code());
            }
            final Response limited = send(client, "GET", "/incidents", ALL, null);
            assertEquals(429, limited.code());
            assertEquals("20", limited.headers().get("Retry-After").get(0), "3/min refills one every 20 s");
            assertTrue(json(limited).get("message").asText().contains("rate limit"));
            assertEquals(
                    200,
                    send(client, "GET", "/incidents", GLOBEX_ALL, null).code(),
                    "another token has its own bucket");
            assertEquals(200, client.get("/health/ready").code(), "open endpoints are not limited");
            now.addAndGet(Duration.ofSeconds(19).toNanos());
            assertEquals(
                    "1",
                    send(client, "GET", "/incidents", ALL, null)
                            .headers()
                            .get("Retry-After")
                            .get(0));
            now.addAndGet(Duration.ofSeconds(1).toNanos());
            assertEquals(200, send(client, "GET", "/incidents", ALL, null).code());
            assertEquals(429, send(client, "GET", "/incidents", ALL, null).code());
        });
    }

    @Test
    void shouldStopAnAddressGuessingTokensUntilItsBudgetRefills() {
        final RateLimiter failures = new RateLimiter(3, now::get);
        JavalinTest.test(fixture.api(null, failures, false).build(), (server, client) -> {
            for (int i = 0; i < 3; i++) {
                assertEquals(
                        401,
                        send(client, "GET", "/incidents", "guess-" + i, null).code());
            }
            final Response blocked = send(client, "GET", "/incidents", "guess-3", null);
            assertEquals(429, blocked.code());
            assertEquals("20", blocked.headers().get("Retry-After").get(0));
            assertTrue(json(blocked).get("message").asText().contains("failed authentication"));
            assertEquals(
                    429,
                    send(client, "GET", "/incidents", ALL, null).code(),
                    "while blocked, even a right token is not checked: nothing can be learned by guessing");
            assertEquals(200, client.get("/health/ready").code(), "open endpoints stay open");
            now.addAndGet(Duration.ofSeconds(20).toNanos());
            assertEquals(200, send(client, "GET", "/incidents", ALL, null).code(), "success costs nothing");
            assertEquals(200, send(client, "GET", "/incidents", ALL, null).code());
        });
    }

    @Test
    void shouldRefuseTenantACursorWhenTenantBPresentsItAndShowNoData() {
        JavalinTest.test(fixture.api(null, false).build(), (server, client) -> {
            final JsonNode first = json(send(client, "GET", "/incidents?limit=1", ALL, null));
            final String cursor = first.get("nextToken").asText();
            assertNotNull(cursor);
            final String next = "/incidents?limit=1&nextToken=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
            assertEquals(200, send(client, "GET", next, ALL, null).code(), "the owner's cursor works");
            final Response stolen = send(client, "GET", next, GLOBEX_ALL, null);
            assertEquals(400, stolen.code(), stolen.body().string());
            assertFalse(
                    stolen.body().string().contains("\"data\""), stolen.body().string());
            assertTrue(json(stolen).has("message"));
        });
    }
}
