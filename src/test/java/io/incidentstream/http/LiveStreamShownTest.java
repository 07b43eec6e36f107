package io.incidentstream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.codec.Json;
import io.incidentstream.ingest.AlertDecoder;
import io.incidentstream.model.Incident;
import io.incidentstream.query.ChangeFeed;
import io.incidentstream.query.FanOut;
import io.incidentstream.query.IncidentPage;
import io.incidentstream.query.StreamEvent;
import io.incidentstream.query.StreamPosition;
import io.incidentstream.query.StreamSession;
import io.incidentstream.silence.Silence;
import io.incidentstream.silence.SilenceLog;
import io.incidentstream.silence.SilenceMatcher;
import io.incidentstream.silence.SilenceService;
import io.incidentstream.silence.SilenceView;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The live stream shows an incident as the API does: with {@code silenced} and {@code silencedBy}, snapshot and changes alike. */
class LiveStreamShownTest {
    @Test
    void shouldShowWhetherASilenceMutesEachStreamedIncident() throws Exception {
        final Instant now = Instant.now();
        final SilenceView silences = new SilenceView();
        silences.put(new Silence(
                "s1",
                "default",
                List.of(new SilenceMatcher("alertId", "alert-muted", false, true)),
                now.minusSeconds(60),
                now.plusSeconds(3600),
                "ops",
                "disk swap",
                now,
                null));
        final HttpFakes.RecordingQueries queries = new HttpFakes.RecordingQueries();
        queries.page = new IncidentPage(List.of(HttpFakes.incident("muted")), null, null);
        final FanOut fanOut = new FanOut(1, 10);
        fanOut.start(StreamPosition.of(new long[] {0}));
        final Javalin app = HttpApi.builder(
                        queries,
                        new AlertDecoder(HttpFakes.TTL),
                        new HttpFakes.RecordingSink(),
                        new HttpFakes.FakeHealth())
                .liveStream(
                        fanOut,
                        (from, to, out, timeout) -> ChangeFeed.Replay.COMPLETE,
                        new StreamSession.Settings(Duration.ofSeconds(1), 10, Duration.ofSeconds(5)))
                .silences(
                        new SilenceService(
                                SilenceLog.inMemory(silences),
                                silences,
                                Clock.systemUTC(),
                                SilenceService.DEFAULT_RETENTION),
                        silences)
                .build();
        app.start("127.0.0.1", 0);
        try {
            final HttpResponse<Stream<String>> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(
                                            "http://127.0.0.1:" + app.port() + "/incidents/stream?snapshot=true"))
                                    .header("Accept", "text/event-stream")
                                    .build(),
                            HttpResponse.BodyHandlers.ofLines());
            assertEquals(200, response.statusCode());
            final Iterator<String> lines = response.body().iterator();
            final JsonNode snapshot = nextIncident(lines);
            assertEquals("muted", snapshot.get("id").asText());
            assertTrue(snapshot.get("silenced").asBoolean(), snapshot::toString);
            assertEquals("s1", snapshot.at("/silencedBy/0").asText());

            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> fanOut.clients() == 1);
            // a later state than the snapshot's, which the stream would otherwise skip as shown already
            fanOut.publish(event(
                    0, HttpFakes.incident("muted").toBuilder().updatedAt(now).build()));
            fanOut.publish(event(1, HttpFakes.incident("heard")));
            final JsonNode muted = nextIncident(lines);
            assertTrue(muted.get("silenced").asBoolean(), muted::toString);
            assertEquals(List.of("s1"), List.of(muted.at("/silencedBy/0").asText()));
            assertEquals("alert-muted", muted.get("alertId").asText(), "the rest as written");
            final JsonNode heard = nextIncident(lines);
            assertFalse(heard.get("silenced").asBoolean(true), heard::toString);
            assertEquals(0, heard.get("silencedBy").size());
        } finally {
            app.stop();
        }
    }

    private static StreamEvent event(final long offset, final Incident incident) throws Exception {
        return new StreamEvent(
                0,
                offset,
                incident.id(),
                incident.tenantId(),
                incident,
                Json.mapper().writeValueAsString(incident));
    }

    private static JsonNode nextIncident(final Iterator<String> lines) throws Exception {
        boolean incident = false;
        while (lines.hasNext()) {
            final String line = lines.next();
            if (line.equals("event: incident")) {
                incident = true;
            } else if (incident && line.startsWith("data: ")) {
                return Json.mapper().readTree(line.substring("data: ".length()));
            }
        }
        throw new AssertionError("the stream ended");
    }
}
