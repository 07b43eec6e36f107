package io.incidentstream.http;

import static io.incidentstream.http.HttpFakes.incident;
import static io.incidentstream.http.HttpFakes.json;
import static io.incidentstream.http.HttpFakes.withTimeline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.errors.BadRequestException;
import io.incidentstream.errors.UnavailableException;
import io.incidentstream.http.HttpFakes.RecordingQueries;
import io.incidentstream.http.HttpFakes.RecordingSink;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Source;
import io.incidentstream.model.Status;
import io.incidentstream.query.IncidentPage;
import io.incidentstream.query.ListQuery;
import io.incidentstream.query.Sort;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import io.javalin.testtools.TestCase;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code GET /incidents} and {@code GET /incidents/{id}} over a recording query service. */
class IncidentControllerTest {
    private final RecordingQueries queries = new RecordingQueries();

    private void run(final TestCase test) {
        JavalinTest.test(HttpFakes.app(queries, new RecordingSink()), test);
    }

    private ListQuery listWith(final String queryString) {
        run((server, client) ->
                assertEquals(200, client.get("/incidents" + queryString).code()));
        return queries.onlyQuery();
    }

    private static void assertMessageNames(final Response response, final int status, final String name) {
        assertEquals(status, response.code(), response.body().string());
        final JsonNode body = json(response);
        assertTrue(body.path("message").isTextual(), "no message in " + body);
        assertTrue(body.get("message").asText().contains(name), body + " should name " + name);
    }

    @Test
    void shouldApplyDefaultsWhenNoParameterIsGiven() {
        final ListQuery q = listWith("");
        assertEquals("default", q.tenant());
        assertEquals(Set.of(), q.statuses());
        assertEquals(Set.of(), q.severities());
        assertNull(q.alertId());
        assertNull(q.alertTemplateId());
        assertNull(q.source());
        assertNull(q.createdAfter());
        assertNull(q.createdBefore());
        assertEquals(Sort.CREATED_AT, q.sort());
        assertTrue(q.descending());
        assertEquals(20, q.limit());
        assertFalse(q.includeCount());
        assertNull(q.nextToken());
    }

    @Test
    void shouldPassEveryParameterIntoTheListQuery() {
        final ListQuery q = listWith("?status=active&status=Resolved,EXPIRED&severity=CRITICAL,low&severity=High"
                + "&alertId=a-1&alertTemplateId=t-1&source=manual"
                + "&createdAfter=2026-01-01T00:00:00Z&createdBefore=2026-02-01T01:00:00%2B01:00"
                + "&sort=updatedAt&order=asc&limit=100&includeCount=true&nextToken=opaque-token");
        assertEquals("default", q.tenant());
        assertEquals(EnumSet.of(Status.ACTIVE, Status.RESOLVED, Status.EXPIRED), q.statuses());
        assertEquals(EnumSet.of(Severity.CRITICAL, Severity.HIGH, Severity.LOW), q.severities());
        assertEquals("a-1", q.alertId());
        assertEquals("t-1", q.alertTemplateId());
        assertEquals(Source.MANUAL, q.source());
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), q.createdAfter());
        assertEquals(Instant.parse("2026-02-01T00:00:00Z"), q.createdBefore());
        assertEquals(Sort.UPDATED_AT, q.sort());
        assertFalse(q.descending());
        assertEquals(100, q.limit());
        assertTrue(q.includeCount());
        assertEquals("opaque-token", q.nextToken());
    }

    @Test
    void shouldAcceptTheSmallestLimitAndExplicitDefaults() {
        final ListQuery q = listWith("?limit=1&sort=createdAt&order=desc&includeCount=false");
        assertEquals(1, q.limit());
        assertEquals(Sort.CREATED_AT, q.sort());
        assertTrue(q.descending());
        assertFalse(q.includeCount());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "limit=0 | limit",
                "limit=101 | limit",
                "limit=abc | limit",
                "limit=5&limit=6 | limit",
                "status=bogus | status",
                "status= | status",
                "status=ACTIVE, | status",
                "severity=bogus | severity",
                "severity=HIGH,,LOW | severity",
                "source=robot | source",
                "sort=bogus | sort",
                "order=sideways | order",
                "order=asc&order=desc | order",
                "createdAfter=yesterday | createdAfter",
                "createdBefore=2026-01-01 | createdBefore",
                "createdAfter=2026-02-01T00:00:00Z&createdBefore=2026-01-01T00:00:00Z | createdAfter",
                "createdAfter=2026-01-01T00:00:00Z&createdBefore=2026-01-01T00:00:00Z | createdBefore",
                "includeCount=maybe | includeCount",
                "stauts=ACTIVE | stauts",
                "alertId=a&alertId=b | alertId",
                "nextToken= | nextToken",
                "createdAfter=%2B300000000-01-01T00:00:00Z | createdAfter",
                "createdBefore=-0001-01-01T00:00:00Z | createdBefore",
            })
    void shouldAnswer400NamingTheParameterAndNeverQueryWhenAParameterIsBad(final String query, final String name) {
        run((server, client) -> assertMessageNames(client.get("/incidents?" + query), 400, name));
        assertEquals(List.of(), queries.lists, "a bad request must not reach the query service");
    }

    @Test
    void shouldAnswerDataAndNextTokenWithoutCountUnlessSet() {
        queries.page = new IncidentPage(List.of(incident("inc-1"), incident("inc-2")), "next-page", null);
        run((server, client) -> {
            final Response response = client.get("/incidents");
            assertEquals(200, response.code());
            assertTrue(response.headers().get("Content-Type").get(0).startsWith("application/json"));
            final JsonNode body = json(response);
            assertEquals(List.of("data", "nextToken"), fieldNames(body));
            assertEquals(2, body.get("data").size());
            assertEquals("inc-1", body.get("data").get(0).get("id").asText());
            assertEquals("inc-2", body.get("data").get(1).get("id").asText());
            assertEquals("next-page", body.get("nextToken").asText());
        });
    }

    @Test
    void shouldOmitNextTokenOnTheLastPageAndShowCountWhenSet() {
        queries.page = new IncidentPage(List.of(incident("inc-1")), null, 42L);
        run((server, client) -> {
            final JsonNode body = json(client.get("/incidents?includeCount=true"));
            assertFalse(body.has("nextToken"), body.toString());
            assertEquals(42, body.get("count").asLong());
            assertEquals(1, body.get("data").size());
        });
    }

    @Test
    void shouldAnswerAnEmptyDataArrayWhenNothingMatches() {
        run((server, client) ->
                assertEquals("{\"data\":[]}", client.get("/incidents").body().string()));
    }

    @Test
    void shouldWriteIncidentsWithIsoUtcDatesUppercaseStatusAndNoTimelineInLists() {
        queries.page = new IncidentPage(List.of(incident("inc-1")), null, null);
        run((server, client) -> {
            final JsonNode item = json(client.get("/incidents")).get("data").get(0);
            assertEquals("2026-11-23T10:00:00Z", item.get("createdAt").asText());
            assertEquals("2026-11-23T10:01:30Z", item.get("updatedAt").asText());
            assertEquals("2026-11-23T10:01:30Z", item.get("lastCheckedAt").asText());
            assertEquals("2026-11-23T10:06:30Z", item.get("validUntil").asText());
            assertEquals("ACTIVE", item.get("status").asText());
            assertEquals("high", item.get("severity").asText());
            assertEquals("automated", item.get("source").asText());
            assertEquals("alert-inc-1", item.get("alertId").asText());
            assertEquals(1, item.get("alertVersion").asInt());
            assertEquals("template-inc-1", item.get("alertTemplateId").asText());
            assertEquals(10, item.get("reportData").get("usageValue").asInt());
            assertFalse(item.has("timeline"), "list items carry no timeline: " + item);
            assertFalse(item.has("resolvedAt"), "absent values are omitted, not null: " + item);
        });
    }

    @Test
    void shouldReturnOneIncidentWithItsTimelineById() {
        queries.incident = withTimeline(incident("inc-7"));
        run((server, client) -> {
            final Response response = client.get("/incidents/inc-7");
            assertEquals(200, response.code());
            final JsonNode body = json(response);
            assertEquals("inc-7", body.get("id").asText());
            assertEquals("2026-11-23T10:00:00Z", body.get("createdAt").asText());
            assertEquals(1, body.get("timeline").size());
            assertEquals("ACTIVE", body.get("timeline").get(0).get("to").asText());
            assertEquals(
                    "2026-11-23T10:00:00Z",
                    body.get("timeline").get(0).get("at").asText());
        });
        assertEquals(List.of("default/inc-7"), queries.gets);
    }

    @Test
    void shouldAnswer404WithMessageWhenTheIncidentIsUnknown() {
        run((server, client) -> {
            final Response response = client.get("/incidents/nope");
            assertMessageNames(response, 404, "no incident nope");
            assertEquals(List.of("message"), fieldNames(json(response)));
        });
    }

    @Test
    void shouldAnswer400WhenTheQueryServiceRejectsTheRequest() {
        queries.failure = new BadRequestException("nextToken is not valid for this list");
        run((server, client) -> assertMessageNames(client.get("/incidents?nextToken=forged"), 400, "nextToken"));
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenStoresAreUnavailable() {
        queries.failure = new UnavailableException("stores are rebalancing", Duration.ofSeconds(3));
        run((server, client) -> {
            for (String path : List.of("/incidents", "/incidents/inc-1")) {
                final Response response = client.get(path);
                assertMessageNames(response, 503, "rebalancing");
                assertEquals(List.of("3"), response.headers().get("Retry-After"), path);
            }
        });
    }

    @Test
    void shouldRoundRetryAfterUpToAtLeastOneSecond() {
        queries.failure = new UnavailableException("starting", Duration.ofMillis(10));
        run((server, client) ->
                assertEquals(List.of("1"), client.get("/incidents").headers().get("Retry-After")));
    }

    @Test
    void shouldAnswerGeneric500WithoutStackTraceOnUnexpectedErrors() {
        queries.failure = new IllegalStateException("secret detail from the store");
        run((server, client) -> {
            final Response response = client.get("/incidents");
            assertEquals(500, response.code());
            final String text = response.body().string();
            assertEquals("internal error", json(response).get("message").asText());
            assertEquals(List.of("message"), fieldNames(json(response)));
            assertFalse(text.contains("secret detail"), text);
            assertFalse(text.contains("Exception"), text);
            assertFalse(text.contains("\tat "), text);
        });
    }

    @Test
    void shouldAnswer404JsonForAnUnknownRoute() {
        run((server, client) -> {
            final Response response = client.get("/no-such-route");
            assertEquals(404, response.code());
            assertTrue(
                    json(response).path("message").isTextual(), response.body().string());
        });
        assertEquals(List.of(), queries.lists);
    }

    private static List<String> fieldNames(final JsonNode node) {
        final List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
