package io.incidentstream.http;

import static io.incidentstream.http.AuthFixture.ACME;
import static io.incidentstream.http.AuthFixture.ADMIN;
import static io.incidentstream.http.AuthFixture.ALL;
import static io.incidentstream.http.AuthFixture.GLOBEX;
import static io.incidentstream.http.AuthFixture.GLOBEX_ALL;
import static io.incidentstream.http.AuthFixture.NO_ALERTS;
import static io.incidentstream.http.AuthFixture.NO_READ;
import static io.incidentstream.http.AuthFixture.NO_WRITE;
import static io.incidentstream.http.AuthFixture.send;
import static io.incidentstream.http.HttpFakes.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.ingest.Payloads;
import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.IncidentCommand;
import io.javalin.Javalin;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import io.javalin.testtools.TestCase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every public endpoint × {no token, bad token, wrong scope, other tenant, right token}, over real
 * stores, query and write services ({@link AuthFixture}).
 */
class AuthMatrixTest {
    private static final String SILENCE =
            "{\"matchers\":[{\"name\":\"alertname\",\"value\":\"DiskFull\",\"isRegex\":false}],"
                    + "\"startsAt\":\"2026-01-01T00:00:00Z\",\"endsAt\":\"2099-01-01T00:00:00Z\",\"createdBy\":\"ops\",\"comment\":\"x\"}";

    private static final String NATIVE_ALERT =
            "{\"alertId\": \"disk-full\", \"status\": \"FIRING\", " + "\"checkedAt\": \"2026-11-25T10:00:00Z\"}";
    private static final String PAGERDUTY =
            "{\"routing_key\": \"k\", \"event_action\": \"trigger\", \"dedup_key\": \"d1\", "
                    + "\"payload\": {\"summary\": \"Disk full\", \"source\": \"db1\", \"severity\": \"error\"}}";

    private final AuthFixture fixture = new AuthFixture();
    private final HttpFakes.RecordingSink alerts = new HttpFakes.RecordingSink();

    /**
     * One public endpoint.
     *
     * @param path      with {@code ID} standing for an incident id
     * @param lacking   a token of the right tenant with every scope but the one needed
     * @param success   the status the right token gets
     */
    record Endpoint(String method, String path, String body, String lacking, int success) {
        String at(final String id) {
            return path.replace("ID", id);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static Stream<Endpoint> endpoints() {
        return Stream.of(
                new Endpoint("GET", "/incidents", null, NO_READ, 200),
                new Endpoint("GET", "/incidents/ID", null, NO_READ, 200),
                new Endpoint("POST", "/incidents", "{\"title\": \"Checkout slow\"}", NO_WRITE, 201),
                new Endpoint(
                        "PATCH", "/incidents/ID", "{\"status\": \"ACKNOWLEDGED\", \"note\": \"on it\"}", NO_WRITE, 200),
                new Endpoint("DELETE", "/incidents/ID", null, NO_WRITE, 204),
                new Endpoint("POST", "/alerts", NATIVE_ALERT, NO_ALERTS, 202),
                new Endpoint(
                        "POST",
                        "/alerts/alertmanager",
                        Payloads.captured("alertmanager-0.25-webhook-firing.json"),
                        NO_ALERTS,
                        202),
                new Endpoint(
                        "POST",
                        "/api/v2/alerts",
                        Payloads.captured("prometheus-2.42-postable-alerts.json"),
                        NO_ALERTS,
                        200),
                new Endpoint("POST", "/v2/enqueue", PAGERDUTY, NO_ALERTS, 202),
                new Endpoint("GET", "/api/v2/alerts", null, NO_READ, 200),
                new Endpoint("GET", "/api/v2/alerts/groups", null, NO_READ, 200),
                new Endpoint("GET", "/api/v2/status", null, NO_READ, 200),
                new Endpoint("GET", "/api/v2/receivers", null, NO_READ, 200),
                new Endpoint("GET", "/api/v2/silences", null, NO_READ, 200),
                new Endpoint("POST", "/api/v2/silences", SILENCE, NO_WRITE, 200));
    }

    private void run(final TestCase test) {
        run(false, test);
    }

    private void run(final boolean metricsAuth, final TestCase test) {
        final Javalin app = fixture.api(null, metricsAuth)
                .alertSink(alerts)
                .metrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .build();
        JavalinTest.test(app, test);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    private String acmeId() {
        return fixture.acme.get(0).id();
    }

    private static void assertMessage(final Response response, final int status) {
        final String body = response.body().string();
        assertEquals(status, response.code(), body);
        assertTrue(json(response).get("message").asText().length() > 0, body);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void shouldAnswer401WithAChallengeWithoutAToken(final Endpoint e) {
        run((server, client) -> {
            final Response response = send(client, e.method(), e.at(acmeId()), null, e.body());
            assertMessage(response, 401);
            assertEquals("Bearer", response.headers().get("WWW-Authenticate").get(0));
        });
        assertNothingHappened();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void shouldAnswer401ToAnUnknownToken(final Endpoint e) {
        run((server, client) -> {
            final Response response = send(client, e.method(), e.at(acmeId()), "not-a-token", e.body());
            assertMessage(response, 401);
            assertEquals("Bearer", response.headers().get("WWW-Authenticate").get(0));
            assertMessage(client.request(e.at(acmeId()), b -> b.header("Authorization", "Basic " + ALL)), 401);
        });
        assertNothingHappened();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void shouldAnswer403ToATokenWithoutTheScope(final Endpoint e) {
        run((server, client) -> assertMessage(send(client, e.method(), e.at(acmeId()), e.lacking(), e.body()), 403));
        assertNothingHappened();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void shouldServeTheRightTokenAsItsTenantAndSubject(final Endpoint e) {
        run((server, client) -> {
            final Response response = send(client, e.method(), e.at(acmeId()), ALL, e.body());
            assertEquals(e.success(), response.code(), response.body().string());
        });
        fixture.commands.forEach(c -> {
            assertEquals(ACME, c.tenantId());
            assertEquals("ana", c.actor(), "the token's subject is the timeline's actor");
        });
        alerts.events().forEach(a -> assertEquals(ACME, a.tenantId()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void shouldLetAnAdminTokenDoEverything(final Endpoint e) {
        run((server, client) -> assertEquals(
                e.success(),
                send(client, e.method(), e.at(acmeId()), ADMIN, e.body()).code()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void shouldKeepAnotherTenantInItsOwnTenant(final Endpoint e) {
        run((server, client) -> {
            final Response response = send(client, e.method(), e.at(acmeId()), GLOBEX_ALL, e.body());
            if (e.path().contains("ID")) {
                assertMessage(response, 404);
                assertFalse(response.body().string().contains(ACME), "no existence leak");
            } else {
                assertEquals(e.success(), response.code(), response.body().string());
                assertFalse(
                        response.body().string().contains("\"tenantId\":\"" + ACME + "\""),
                        response.body().string());
            }
        });
        fixture.commands.forEach(c -> assertEquals(GLOBEX, c.tenantId()));
        alerts.events().forEach(a -> assertEquals(GLOBEX, a.tenantId(), "ingest stamps the token's tenant"));
    }

    @Test
    void shouldShowEachTokenOnlyItsTenantsIncidentsAsAlertmanagerAlerts() {
        final Javalin app = fixture.api(null, false)
                .clock(java.time.Clock.fixed(fixture.acme.get(0).createdAt(), java.time.ZoneOffset.UTC))
                .build();
        JavalinTest.test(app, (server, client) -> {
            final java.util.Set<String> seen = new java.util.HashSet<>();
            for (String token : List.of(ALL, GLOBEX_ALL)) {
                for (String path : List.of("/api/v2/alerts", "/api/v2/alerts/groups")) {
                    final JsonNode answer = json(send(client, "GET", path, token, null));
                    assertEquals(AuthFixture.PARTITIONS, answer.size(), path + " " + answer);
                    answer.forEach(a -> {
                        final String fingerprint = (a.has("alerts")
                                        ? a.get("alerts").get(0)
                                        : a)
                                .get("fingerprint")
                                .asText();
                        assertTrue(path.endsWith("groups") || seen.add(fingerprint), "seen by both: " + answer);
                    });
                }
            }
            assertEquals(2 * AuthFixture.PARTITIONS, seen.size());
        });
    }

    @Test
    void shouldListOnlyTheTokensTenantWithCountsAndOnlyItsIncidents() {
        run((server, client) -> {
            for (String token : List.of(ALL, GLOBEX_ALL)) {
                final JsonNode page = json(send(client, "GET", "/incidents?includeCount=true&limit=100", token, null));
                final String tenant = token.equals(ALL) ? ACME : GLOBEX;
                assertEquals(AuthFixture.PARTITIONS, page.get("count").asInt(), page.toString());
                page.get("data")
                        .forEach(i -> assertEquals(tenant, i.get("tenantId").asText()));
            }
            assertEquals(
                    200,
                    send(client, "GET", "/incidents/" + fixture.globex.get(0).id(), GLOBEX_ALL, null)
                            .code());
        });
    }

    @Test
    void shouldRefuseANativeAlertNamingAnotherTenantUnlessAdmin() {
        final String foreign =
                "{\"alertId\": \"a\", \"status\": \"FIRING\", \"checkedAt\": \"2026-11-25T10:00:00Z\", \"tenantId\": \""
                        + GLOBEX + "\"}";
        final String own = foreign.replace(GLOBEX, ACME);
        run((server, client) -> {
            assertMessage(send(client, "POST", "/alerts", ALL, "[" + own + "," + foreign + "]"), 403);
            assertEquals(List.of(), alerts.batches, "nothing of a refused batch is produced");
            assertEquals(202, send(client, "POST", "/alerts", ALL, own).code());
            assertEquals(202, send(client, "POST", "/alerts", ADMIN, foreign).code());
            assertEquals(
                    202, send(client, "POST", "/alerts", ADMIN, NATIVE_ALERT).code());
        });
        assertEquals(
                List.of(ACME, GLOBEX, ACME),
                alerts.events().stream().map(AlertEvent::tenantId).toList());
    }

    @Test
    void shouldLeaveHealthAndOpenApiOpenAndMetricsOpenByDefault() {
        run((server, client) -> {
            for (String path : List.of("/health/live", "/health/ready", "/openapi.json", "/metrics")) {
                assertEquals(200, client.get(path).code(), path);
            }
        });
    }

    @Test
    void shouldRequireAnAdminTokenForMetricsWithMetricsAuth() {
        run(true, (server, client) -> {
            assertMessage(client.get("/metrics"), 401);
            assertMessage(send(client, "GET", "/metrics", ALL, null), 403);
            assertEquals(200, send(client, "GET", "/metrics", ADMIN, null).code());
            assertEquals(200, client.get("/health/ready").code());
        });
    }

    @Test
    void shouldNeverOpenInternalEndpointsToUserTokens() {
        run((server, client) -> {
            final String path = "/internal/v1/incidents?tenant=" + ACME;
            assertMessage(send(client, "GET", path, ADMIN, null), 401);
            assertMessage(send(client, "GET", path, ALL, null), 401);
            assertEquals(200, send(client, "GET", path, AuthFixture.PEER, null).code());
        });
    }

    @Test
    void shouldRequireATokenOnUnknownPathsAndNormaliseTrailingSlashes() {
        run((server, client) -> {
            assertMessage(client.get("/nothing-here"), 401);
            assertEquals(404, send(client, "GET", "/nothing-here", ALL, null).code());
            assertMessage(client.get("/incidents/"), 401);
            assertMessage(send(client, "POST", "/alerts/", NO_ALERTS, NATIVE_ALERT), 403);
        });
    }

    @Test
    void shouldNameTheSubjectOnTheTimelineOfACreatedIncident() {
        run((server, client) -> {
            final JsonNode created =
                    json(send(client, "POST", "/incidents", ALL, "{\"title\": \"t\", \"note\": \"opened by hand\"}"));
            assertEquals(ACME, created.get("tenantId").asText());
            assertEquals("ana", created.get("timeline").get(0).get("actor").asText(), created.toString());
        });
        final Function<IncidentCommand, String> actor = IncidentCommand::actor;
        assertEquals(List.of("ana"), fixture.commands.stream().map(actor).toList());
    }

    private void assertNothingHappened() {
        assertEquals(List.of(), fixture.commands);
        assertEquals(List.of(), alerts.batches);
    }
}
