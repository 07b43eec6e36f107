package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.auth.TokenHashes;
import io.incidentstream.codec.Json;
import io.incidentstream.config.Config;
import io.incidentstream.testkit.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances with auth on, one broker: scatter-gather and routed gets carry the caller's
 * tenant (and {@code PEER_TOKEN}) to the peer, so each tenant's token sees its own incidents
 * through either instance and another tenant's id is a 404 through the non-owner too.
 */
class TenantClusterIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String ACME = "acme-token";
    private static final String GLOBEX = "globex-token";
    private static final int ACME_ALERTS = 24;
    private static final int GLOBEX_ALERTS = 6;

    @TempDir
    static Path dir;

    static Path tokens;
    static EmbeddedKafka broker;
    static Application a;
    static Application b;
    static int portA;
    static int portB;

    @BeforeAll
    static void start() throws Exception {
        tokens = dir.resolve("tokens.yaml");
        writeTokens(List.of(entry(ACME, "ana", "acme"), entry(GLOBEX, "gus", "globex")));
        broker = EmbeddedKafka.start(dir.resolve("kafka"), 0, 6);
        portA = Ports.freePort();
        portB = Ports.freePort();
        a = Application.start(Config.from(env(portA, "a")));
        b = Application.start(Config.from(env(portB, "b")));
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> List.of(portA, portB).stream()
                        .allMatch(p -> status(send(p, "GET", "/incidents?includeCount=true", ACME, null)) == 200));
    }

    @AfterAll
    static void stop() {
        for (Application app : new Application[] {a, b}) {
            if (app != null) {
                app.close();
            }
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldKeepEachTenantToItsOwnIncidentsThroughEveryInstance() throws Exception {
        final Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
        assertEquals(
                202,
                send(portA, "POST", "/alerts", ACME, alerts("acme-", ACME_ALERTS, base))
                        .statusCode());
        assertEquals(
                202,
                send(portB, "POST", "/alerts", GLOBEX, alerts("globex-", GLOBEX_ALERTS, base))
                        .statusCode());
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> count(portB, ACME) == ACME_ALERTS && count(portA, GLOBEX) == GLOBEX_ALERTS);

        final List<JsonNode> viaA = all(portA, ACME, 5);
        assertEquals(ACME_ALERTS, viaA.size());
        viaA.forEach(i -> assertEquals("acme", i.get("tenantId").asText(), i.toString()));
        assertEquals(ids(viaA), ids(all(portB, ACME, 7)), "both instances gather the same list for acme");
        all(portB, GLOBEX, 2)
                .forEach(i -> assertEquals("globex", i.get("tenantId").asText(), i.toString()));

        for (String id : ids(viaA)) {
            for (int port : List.of(portA, portB)) {
                assertEquals(
                        404, status(send(port, "GET", "/incidents/" + id, GLOBEX, null)), "globex may not see " + id);
                assertEquals(200, status(send(port, "GET", "/incidents/" + id, ACME, null)));
            }
        }
    }

    @Test
    void shouldRefuseAnotherTenantsCursorAndWritesAndNameTheSubjectAsActor() throws Exception {
        final Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
        assertEquals(
                202,
                send(portA, "POST", "/alerts", ACME, alerts("writes-", 3, base)).statusCode());
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> all(portA, ACME, 50).stream()
                        .anyMatch(i -> i.get("alertId").asText().equals("writes-0")));
        final JsonNode page = json(send(portB, "GET", "/incidents?limit=1", ACME, null));
        final String next = "/incidents?limit=1&nextToken="
                + URLEncoder.encode(page.get("nextToken").asText(), StandardCharsets.UTF_8);
        assertEquals(200, status(send(portA, "GET", next, ACME, null)));
        assertEquals(400, status(send(portA, "GET", next, GLOBEX, null)), "a cursor is bound to its tenant");

        final String id = all(portA, ACME, 50).stream()
                .filter(i -> i.get("alertId").asText().equals("writes-0"))
                .findFirst()
                .orElseThrow()
                .get("id")
                .asText();
        for (int port : List.of(portA, portB)) {
            assertEquals(
                    404, status(send(port, "PATCH", "/incidents/" + id, GLOBEX, Map.of("status", "ACKNOWLEDGED"))));
            assertEquals(404, status(send(port, "DELETE", "/incidents/" + id, GLOBEX, null)));
        }
        final JsonNode acked = json(send(portB, "PATCH", "/incidents/" + id, ACME, Map.of("status", "ACKNOWLEDGED")));
        final JsonNode last = acked.get("timeline").get(acked.get("timeline").size() - 1);
        assertEquals("ana", last.get("actor").asText(), acked.toString());
    }

    @Test
    void shouldRefuseUnauthenticatedCallsAndInternalCallsWithoutThePeerToken() throws Exception {
        assertEquals(401, status(send(portA, "GET", "/incidents", null, null)));
        assertEquals(401, status(send(portA, "GET", "/internal/v1/incidents?tenant=acme", ACME, null)));
        assertEquals(200, status(send(portA, "GET", "/health/live", null, null)));
    }

    @Test
    void shouldTakeATokenAddedToTheFileWithoutARestart() throws Exception {
        assertEquals(401, status(send(portB, "GET", "/incidents", "new-token", null)));
        writeTokens(
                List.of(entry(ACME, "ana", "acme"), entry(GLOBEX, "gus", "globex"), entry("new-token", "nia", "acme")));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> status(send(portB, "GET", "/incidents", "new-token", null)) == 200);
    }

    private static String entry(final String token, final String subject, final String tenant) {
        return "  - subject: " + subject + "\n    tenant: " + tenant
                + "\n    scopes: [incidents:read, incidents:write, alerts:write]\n" + "    sha256: "
                + TokenHashes.sha256Hex(token) + "\n";
    }

    private static void writeTokens(final List<String> entries) throws IOException {
        final Path tmp = dir.resolve("tokens.tmp");
        Files.writeString(tmp, "tokens:\n" + String.join("", entries));
        Files.move(
                tmp,
                tokens,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static Map<String, String> env(final int port, final String name) {
        final Map<String, String> env =
                TestApp.instanceEnv(broker.bootstrapServers(), "tenant-cluster-it", port, dir.resolve(name));
        env.put("NUM_STANDBY_REPLICAS", "0");
        env.put("AUTH_TOKENS_FILE", tokens.toString());
        return env;
    }

    private static List<Map<String, Object>> alerts(final String prefix, final int n, final Instant base) {
        final List<Map<String, Object>> alerts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            alerts.add(Map.of(
                    "alertId",
                    prefix + i,
                    "status",
                    "FIRING",
                    "checkedAt",
                    base.plusSeconds(i).toString(),
                    "validUntil",
                    base.plus(Duration.ofDays(1)).toString(),
                    "severity",
                    "high"));
        }
        return alerts;
    }

    private static List<String> ids(final List<JsonNode> incidents) {
        return incidents.stream().map(i -> i.get("id").asText()).toList();
    }

    private static List<JsonNode> all(final int port, final String token, final int limit) throws Exception {
        final List<JsonNode> all = new ArrayList<>();
        String next = null;
        do {
            final JsonNode page = json(send(
                    port,
                    "GET",
                    "/incidents?limit=" + limit
                            + (next == null ? "" : "&nextToken=" + URLEncoder.encode(next, StandardCharsets.UTF_8)),
                    token,
                    null));
            page.get("data").forEach(all::add);
            next = page.hasNonNull("nextToken") ? page.get("nextToken").asText() : null;
        } while (next != null);
        return all;
    }

    private static int count(final int port, final String token) throws Exception {
        return json(send(port, "GET", "/incidents?includeCount=true&limit=1", token, null))
                .get("count")
                .asInt();
    }

    private static int status(final HttpResponse<String> response) {
        return response == null ? -1 : response.statusCode();
    }

    private static JsonNode json(final HttpResponse<String> response) throws IOException {
        assertTrue(
                response != null && response.statusCode() == 200,
                () -> response == null ? "no response" : response.body());
        return Json.mapper().readTree(response.body());
    }

    private static HttpResponse<String> send(
            final int port, final String method, final String path, final String token, final Object body) {
        try {
            final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json")
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(
                                            Json.mapper().writeValueAsBytes(body)));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
