package io.incidentstream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.incidentstream.codec.Json;
import io.javalin.testtools.JavalinTest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the builder turns on is on, and what it is given is used everywhere. */
class HttpApiBuilderTest {
    private static final Instant T = Instant.parse("2026-03-04T05:06:07.089Z");

    private final AuthFixture fixture = new AuthFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void shouldStampManualIncidentsWithTheServersClock() {
        JavalinTest.test(
                fixture.api(null, false).clock(Clock.fixed(T, ZoneOffset.UTC)).build(), (server, client) -> {
                    final var created = client.post(
                            "/incidents",
                            "{\"title\":\"disk\"}",
                            b -> b.header("Authorization", "Bearer " + AuthFixture.ALL));
                    final String body = created.body().string();
                    assertEquals(201, created.code(), body);
                    assertEquals(
                            T.toString(),
                            Json.mapper().readTree(body).get("createdAt").asText(),
                            body);
                });
    }

    @Test
    void shouldServeNoMetricsRouteUnlessMetricsAreTurnedOn() {
        JavalinTest.test(fixture.api(null, false).build(), (server, client) -> {
            assertEquals(404, client.get("/metrics").code());
        });
    }

    @Test
    void shouldLetEveryCallerInWhenAuthIsNotTurnedOn() {
        JavalinTest.test(
                HttpApi.builder(
                                new HttpFakes.RecordingQueries(),
                                new io.incidentstream.ingest.AlertDecoder(HttpFakes.TTL),
                                new HttpFakes.RecordingSink(),
                                new HttpFakes.FakeHealth())
                        .build(),
                (server, client) -> assertEquals(200, client.get("/incidents").code()));
    }
}
