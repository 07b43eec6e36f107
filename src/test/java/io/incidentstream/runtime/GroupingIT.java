package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.testkit.ApiClient;
import io.incidentstream.testkit.ApiResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grouping rules through the whole path on a real broker: a rule written over the API is read back
 * at once, refused with the field named when wrong, applied to alerts posted after it (one incident
 * per host, its members listed and paged), and deleted again.
 */
class GroupingIT {
    @TempDir
    Path dir;

    @Test
    void shouldGroupAlertsByARuleWrittenOverTheApi() throws Exception {
        try (TestApp app = TestApp.start(dir.resolve("data"), "grouping-it", Map.of())) {
            final ApiClient api = app.api();
            final Map<String, Object> rule = Map.of(
                    "match",
                    Map.of("labels", Map.of("env", "prod")),
                    "groupBy",
                    List.of("host"),
                    "window",
                    "PT15M",
                    "title",
                    "{{host}}: {{memberCount}} alerts");
            final ApiResponse put = api.send("PUT", "/rules/grouping/host-down", rule, Map.of());
            assertEquals(200, put.status(), put.body());
            final JsonNode listed = api.json("/rules/grouping");
            assertEquals("host-down", listed.get("data").get(0).get("id").asText(), "read back at once");
            assertEquals("all", listed.get("data").get(0).get("resolveWhen").asText(), "defaults filled in");

            final ApiResponse bad = api.send("PUT", "/rules/grouping/bad", Map.of("window", "15 minutes"), Map.of());
            assertEquals(400, bad.status());
            assertTrue(bad.body().contains("window"), bad.body());

            final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            final List<Map<String, Object>> batch = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                batch.add(Map.of(
                        "alertId", "check-" + i,
                        "status", "FIRING",
                        "checkedAt", now.toString(),
                        "validUntil", now.plus(Duration.ofHours(1)).toString(),
                        "labels", Map.of("env", i < 10 ? "prod" : "dev", "host", "db-" + i % 2)));
            }
            assertEquals(202, api.post("/alerts", batch).status());
            await().atMost(TestApp.WAIT)
                    .until(() -> api.listAll("limit=100").stream()
                                    .mapToLong(i -> i.has("memberCount")
                                            ? i.get("memberCount").asLong()
                                            : 1)
                                    .sum()
                            == 12);
            assertEquals(4, api.listAll("limit=100").size());

            // The preview reads those alerts back from the topic and folds them in memory: a rule by
            // host and alert would have made 10 incidents of the 10 prod alerts, and one wanting 6
            // alerts per host none (all held); nothing is stored either way.
            final String from = now.minus(Duration.ofMinutes(5)).toString();
            final ApiResponse preview = api.send(
                    "POST",
                    "/rules/grouping/preview",
                    Map.of(
                            "rule",
                            Map.of(
                                    "match",
                                    Map.of("labels", Map.of("env", "prod")),
                                    "groupBy",
                                    List.of("host", "alertId"),
                                    "title",
                                    "{{host}}"),
                            "from",
                            from,
                            "sample",
                            3),
                    Map.of());
            assertEquals(200, preview.status(), preview.body());
            final JsonNode tried = io.incidentstream.codec.Json.mapper().readTree(preview.body());
            assertEquals(10, tried.get("incidents").asInt(), preview.body());
            assertEquals(10, tried.get("alertsMatched").asInt());
            assertEquals(2, tried.get("alertsNotMatched").asInt());
            assertEquals(3, tried.get("sample").size());
            assertFalse(tried.get("truncated").asBoolean());
            final JsonNode held = io.incidentstream.codec.Json.mapper()
                    .readTree(api.send(
                                    "POST",
                                    "/rules/grouping/preview",
                                    Map.of(
                                            "rule",
                                            Map.of(
                                                    "match",
                                                    Map.of("labels", Map.of("env", "prod")),
                                                    "groupBy",
                                                    List.of("host"),
                                                    "minAlerts",
                                                    6),
                                            "from",
                                            from),
                                    Map.of())
                            .body());
            assertEquals(0, held.get("incidents").asInt(), held.toString());
            assertEquals(10, held.get("stillHeld").asInt());
            final ApiResponse badPreview = api.send(
                    "POST", "/rules/grouping/preview", Map.of("rule", Map.of("groupBy", List.of("no such"))), Map.of());
            assertEquals(400, badPreview.status());
            assertTrue(badPreview.body().contains("rule.groupBy"), badPreview.body());
            assertEquals(1, api.json("/rules/grouping").get("data").size(), "the preview stored no rule");
            assertEquals(4, api.listAll("limit=100").size(), "nor changed an incident");
            final List<JsonNode> grouped = api.listAll("limit=100").stream()
                    .filter(i -> i.has("groupKey"))
                    .toList();
            assertEquals(2, grouped.size(), "one incident per host for the prod alerts, the two dev ones alone");
            final JsonNode db0 = grouped.stream()
                    .filter(i -> i.get("groupLabels").get("host").asText().equals("db-0"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(5, db0.get("memberCount").asInt());
            assertEquals("db-0: 5 alerts", db0.get("title").asText());
            assertFalse(db0.has("alerts"), "list pages leave the member list out");

            final String id = db0.get("id").asText();
            assertEquals(5, api.json("/incidents/" + id).get("alerts").size());
            final JsonNode first = api.json("/incidents/" + id + "/alerts?limit=3");
            assertEquals(3, first.get("data").size());
            assertEquals("host-down", first.get("data").get(0).get("joinedBy").asText());
            final JsonNode second = api.json("/incidents/" + id + "/alerts?limit=3&nextToken="
                    + first.get("nextToken").asText());
            assertEquals(2, second.get("data").size());
            assertNull(second.get("nextToken"));
            assertEquals(
                    400,
                    api.get("/incidents/" + id + "/alerts?nextToken=forged").status());

            assertEquals(204, api.delete("/rules/grouping/host-down").status());
            assertEquals(0, api.json("/rules/grouping").get("data").size());
            assertEquals(404, api.delete("/rules/grouping/host-down").status());
        }
    }
}
