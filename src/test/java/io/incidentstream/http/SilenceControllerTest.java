package io.incidentstream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.incidentstream.codec.Json;
import io.incidentstream.http.HttpFakes.FakeHealth;
import io.incidentstream.http.HttpFakes.RecordingQueries;
import io.incidentstream.http.HttpFakes.RecordingSink;
import io.incidentstream.ingest.AlertDecoder;
import io.incidentstream.model.Incident;
import io.incidentstream.query.AlertmanagerReads;
import io.incidentstream.query.AlertmanagerStatusSource;
import io.incidentstream.query.IncidentPage;
import io.incidentstream.silence.SilenceLog;
import io.incidentstream.silence.SilenceService;
import io.incidentstream.silence.SilenceView;
import io.javalin.Javalin;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The silence routes and their effect on what incidents and Alertmanager's alerts show, over in-memory
 * silences; the silence bodies checked against Alertmanager's own {@code openapi.yaml}.
 */
class SilenceControllerTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:02:00Z");

    private final RecordingQueries queries = new RecordingQueries();
    private final AlertmanagerSpec spec = AlertmanagerSpec.load();
    private final Incident db1 = HttpFakes.incident("incident.0.a").toBuilder()
            .labels(Map.of("alertname", "DiskFull", "instance", "db1"))
            .build();
    private final Incident db2 = HttpFakes.incident("incident.1.b").toBuilder()
            .labels(Map.of("alertname", "DiskFull", "instance", "db2"))
            .build();

    private Javalin app() {
        final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        final SilenceView view = new SilenceView();
        final SilenceService service =
                new SilenceService(SilenceLog.inMemory(view), view, clock, SilenceService.DEFAULT_RETENTION);
        queries.page = new IncidentPage(List.of(db1, db2), null, null);
        queries.incident = db2;
        return HttpApi.builder(queries, new AlertDecoder(HttpFakes.TTL), new RecordingSink(), new FakeHealth())
                .clock(clock)
                .silences(service, view)
                .alertmanagerReads(new AlertmanagerReads(
                        queries,
                        AlertmanagerStatusSource.standalone(NOW, AlertmanagerStatusSource.versionInfo()),
                        clock,
                        100,
                        view))
                .build();
    }

    private static String silence(final String extra) {
        return "{\"matchers\":[{\"name\":\"alertname\",\"value\":\"DiskFull\",\"isRegex\":false},"
                + "{\"name\":\"instance\",\"value\":\"db[2-9]\",\"isRegex\":true}],"
                + "\"startsAt\":\"2026-11-23T10:00:00Z\",\"endsAt\":\"2026-11-23T12:00:00Z\","
                + "\"createdBy\":\"ana\",\"comment\":\"disk swap\"" + extra + "}";
    }

    private static JsonNode json(final Response r) throws IOException {
        final String body = r.body().string();
        assertEquals(200, r.code(), body);
        return Json.mapper().readTree(body);
    }

    private static String create(final HttpClient client, final String body) throws IOException {
        return json(client.post("/api/v2/silences", body)).get("silenceID").asText();
    }

    @Test
    void shouldMarkTheIncidentsASilenceMutesFromTheMomentItExists() {
        JavalinTest.test(app(), (server, client) -> {
            JsonNode page = json(client.get("/incidents"));
            assertFalse(page.at("/data/1/silenced").asBoolean(), page::toString);
            assertEquals(0, page.at("/data/1/silencedBy").size());
            final String id = create(client, silence(""));
            page = json(client.get("/incidents"));
            assertFalse(page.at("/data/0/silenced").asBoolean(), "db1 does not match db[2-9]");
            assertTrue(page.at("/data/1/silenced").asBoolean(), page::toString);
            assertEquals(id, page.at("/data/1/silencedBy/0").asText());
            final JsonNode one = json(client.get("/incidents/incident.1.b"));
            assertEquals(id, one.at("/silencedBy/0").asText());

            final JsonNode alerts = json(client.get("/api/v2/alerts"));
            spec.check("/alerts", alerts);
            final JsonNode muted = alerts.findParents("silencedBy").stream()
                    .filter(s -> s.get("silencedBy").size() == 1)
                    .findFirst()
                    .orElseThrow();
            assertEquals("suppressed", muted.get("state").asText());
            assertEquals(1, json(client.get("/api/v2/alerts?silenced=false")).size(), "silenced=false hides it");

            assertEquals(200, client.delete("/api/v2/silence/" + id).code());
            page = json(client.get("/incidents"));
            assertFalse(page.at("/data/1/silenced").asBoolean(), "expired: no longer silenced");
        });
    }

    @Test
    void shouldAnswerInAlertmanagersShapes() {
        JavalinTest.test(app(), (server, client) -> {
            final String id = create(client, silence(""));
            final JsonNode list = json(client.get("/api/v2/silences"));
            spec.check("/silences", list);
            assertEquals("active", list.at("/0/status/state").asText());
            assertTrue(list.at("/0/matchers/0/isEqual").asBoolean(), "isEqual defaults to true");
            final JsonNode one = json(client.get("/api/v2/silence/" + id));
            spec.check("/silence/{silenceID}", one);
            assertEquals("disk swap", one.get("comment").asText());
            assertEquals(
                    1,
                    json(client.get("/api/v2/silences?filter=instance%3D%22db%5B2-9%5D%22"))
                            .size());
            assertEquals(
                    0,
                    json(client.get("/api/v2/silences?filter=alertname%3DCpuHigh"))
                            .size());
        });
    }

    @Test
    void shouldExpireTheOldSilenceWhenAnUpdateChangesItsMatchers() {
        JavalinTest.test(app(), (server, client) -> {
            final String id = create(client, silence(""));
            final String replaced =
                    create(client, silence(",\"id\":\"" + id + "\"").replace("db[2-9]", "db[3-9]"));
            assertFalse(id.equals(replaced));
            assertEquals(
                    "expired",
                    json(client.get("/api/v2/silence/" + id))
                            .at("/status/state")
                            .asText());
            final String same = create(
                    client,
                    silence(",\"id\":\"" + replaced + "\"")
                            .replace("db[2-9]", "db[3-9]")
                            .replace("2026-11-23T10:00:00Z", "2026-11-23T10:02:00Z")
                            .replace("12:00:00Z", "13:00:00Z"));
            assertEquals(replaced, same, "the same matchers and start (now, when it began): updated in place");
        });
    }

    @Test
    void shouldMuteOnlyInsideAMaintenanceWindow() {
        JavalinTest.test(app(), (server, client) -> {
            // NOW is 10:02 UTC: a window 10:00-11:00 UTC mutes, one at 22:00 does not
            final String in = create(
                    client, silence(",\"recurrence\":{\"every\":\"daily\",\"start\":\"10:00\",\"duration\":\"PT1H\"}"));
            create(client, silence(",\"recurrence\":{\"every\":\"daily\",\"start\":\"22:00\",\"duration\":\"PT1H\"}"));
            final JsonNode page = json(client.get("/incidents"));
            assertEquals(List.of(in), List.of(page.at("/data/1/silencedBy/0").asText()));
            assertEquals(1, page.at("/data/1/silencedBy").size(), page::toString);
            final JsonNode listed = json(client.get("/api/v2/silences"));
            assertEquals("PT1H", listed.at("/0/recurrence/duration").asText());
        });
    }

    @Test
    void shouldRefuseBadSilencesWithAMessage() {
        JavalinTest.test(app(), (server, client) -> {
            for (String bad : List.of(
                    "{",
                    silence("").replace("2026-11-23T12:00:00Z", "2026-11-23T10:01:00Z"),
                    silence("").replace("\"comment\":\"disk swap\"", "\"comment\":\"\""),
                    silence(",\"recurrence\":{\"every\":\"weekly\",\"start\":\"22:00\",\"duration\":\"PT1H\"}"))) {
                final Response r = client.post("/api/v2/silences", bad);
                final String body = r.body().string();
                assertEquals(400, r.code(), bad + " → " + body);
                assertTrue(((ObjectNode) Json.mapper().readTree(body))
                                .get("message")
                                .asText()
                                .length()
                        > 0);
            }
            assertEquals(404, client.get("/api/v2/silence/nope").code());
            assertEquals(400, client.get("/api/v2/silences?filter=%7B").code());
        });
    }
}
