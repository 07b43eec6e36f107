package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.testkit.ApiClient;
import io.incidentstream.testkit.TestTokens;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
    private static final TestTokens.Grant ANA = new TestTokens.Grant(TestTokens.of("acme"), "ana", "acme");
    private static final TestTokens.Grant GUS = new TestTokens.Grant(TestTokens.of("globex"), "gus", "globex");
    private static final int ACME_ALERTS = 24;
    private static final int GLOBEX_ALERTS = 6;

    @TempDir
    static Path dir;

    static Path tokens;
    static TwoInstances cluster;
    static ApiClient apiA;
    static ApiClient apiB;

    @BeforeAll
    static void start() throws Exception {
        tokens = dir.resolve("tokens.yaml");
        TestTokens.write(tokens, List.of(ANA, GUS));
        cluster = TwoInstances.start(dir, "tenant-cluster-it", 6, tokens, Map.of(), WAIT);
        apiA = cluster.apiA;
        apiB = cluster.apiB;
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldKeepEachTenantToItsOwnIncidentsThroughEveryInstance() throws Exception {
        final Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
        assertEquals(
                202,
                apiA.as("acme")
                        .post("/alerts", alerts("acme-", ACME_ALERTS, base))
                        .status());
        assertEquals(
                202,
                apiB.as("globex")
                        .post("/alerts", alerts("globex-", GLOBEX_ALERTS, base))
                        .status());
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> apiB.as("acme").count("") == ACME_ALERTS
                        && apiA.as("globex").count("") == GLOBEX_ALERTS);

        final List<JsonNode> viaA = apiA.as("acme").listAll("limit=5");
        assertEquals(ACME_ALERTS, viaA.size());
        viaA.forEach(i -> assertEquals("acme", i.get("tenantId").asText(), i.toString()));
        assertEquals(
                ids(viaA), ids(apiB.as("acme").listAll("limit=7")), "both instances gather the same list for acme");
        apiB.as("globex")
                .listAll("limit=2")
                .forEach(i -> assertEquals("globex", i.get("tenantId").asText(), i.toString()));

        for (String id : ids(viaA)) {
            for (ApiClient api : List.of(apiA, apiB)) {
                assertEquals(404, api.as("globex").get("/incidents/" + id).status(), "globex may not see " + id);
                assertEquals(200, api.as("acme").get("/incidents/" + id).status());
            }
        }
        // the summary gathers every instance's part too: the same open counts through either, the tenant's own
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            final long open = apiA.as("acme").count("status=ACTIVE,ACKNOWLEDGED");
            return open > 0
                    && apiA.as("acme")
                                    .json("/incidents/summary")
                                    .at("/open/total")
                                    .asLong()
                            == open
                    && apiB.as("acme")
                                    .json("/incidents/summary")
                                    .at("/open/total")
                                    .asLong()
                            == open
                    && apiB.as("globex")
                                    .json("/incidents/summary")
                                    .at("/open/total")
                                    .asLong()
                            <= GLOBEX_ALERTS;
        });
    }

    @Test
    void shouldRefuseAnotherTenantsCursorAndWritesAndNameTheSubjectAsActor() throws Exception {
        final Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
        assertEquals(
                202, apiA.as("acme").post("/alerts", alerts("writes-", 3, base)).status());
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> apiA.as("acme").listAll("limit=50").stream()
                        .anyMatch(i -> i.get("alertId").asText().equals("writes-0")));
        final JsonNode page = apiB.as("acme").json("/incidents?limit=1");
        final String next = "/incidents?limit=1&nextToken="
                + URLEncoder.encode(page.get("nextToken").asText(), StandardCharsets.UTF_8);
        assertEquals(200, apiA.as("acme").get(next).status());
        assertEquals(400, apiA.as("globex").get(next).status(), "a cursor is bound to its tenant");

        final String id = apiA.as("acme").listAll("limit=50").stream()
                .filter(i -> i.get("alertId").asText().equals("writes-0"))
                .findFirst()
                .orElseThrow()
                .get("id")
                .asText();
        for (ApiClient api : List.of(apiA, apiB)) {
            assertEquals(
                    404,
                    api.as("globex")
                            .patch("/incidents/" + id, Map.of("status", "ACKNOWLEDGED"))
                            .status());
            assertEquals(404, api.as("globex").delete("/incidents/" + id).status());
        }
        final JsonNode acked = apiB.as("acme")
                .patch("/incidents/" + id, Map.of("status", "ACKNOWLEDGED"))
                .assertStatus(200)
                .json();
        final JsonNode last = acked.get("timeline").get(acked.get("timeline").size() - 1);
        assertEquals("ana", last.get("actor").asText(), acked.toString());
    }

    @Test
    void shouldRefuseUnauthenticatedCallsAndInternalCallsWithoutThePeerToken() throws Exception {
        assertEquals(401, apiA.get("/incidents").status());
        assertEquals(
                401, apiA.as("acme").get("/internal/v1/incidents?tenant=acme").status());
        assertEquals(200, apiA.get("/health/live").status());
    }

    @Test
    void shouldTakeATokenAddedToTheFileWithoutARestart() throws Exception {
        final ApiClient nia = apiB.withToken("new-token");
        assertEquals(401, nia.get("/incidents").status());
        TestTokens.write(tokens, List.of(ANA, GUS, new TestTokens.Grant("new-token", "nia", "acme")));
        await().atMost(Duration.ofSeconds(20)).until(() -> nia.status("/incidents") == 200);
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
}
