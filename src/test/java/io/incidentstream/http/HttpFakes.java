package io.incidentstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.codec.Json;
import io.incidentstream.errors.NotFoundException;
import io.incidentstream.ingest.AlertDecoder;
import io.incidentstream.ingest.AlertSink;
import io.incidentstream.ingest.EncodedAlert;
import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.Incident;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Source;
import io.incidentstream.model.Status;
import io.incidentstream.model.TimelineEntry;
import io.incidentstream.query.ChangeFeed;
import io.incidentstream.query.ClusterFixture;
import io.incidentstream.query.ClusterSummaries;
import io.incidentstream.query.FanOut;
import io.incidentstream.query.IncidentPage;
import io.incidentstream.query.IncidentQueries;
import io.incidentstream.query.ListQuery;
import io.incidentstream.query.LocalSummaries;
import io.incidentstream.query.StreamPosition;
import io.incidentstream.query.StreamSession;
import io.incidentstream.store.PartitionStores;
import io.incidentstream.store.StoreAccess;
import io.incidentstream.testkit.FakePeerDirectory;
import io.javalin.Javalin;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.Response;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** Recording fakes for the HTTP layer's dependencies, and small helpers shared by the HTTP tests. */
final class HttpFakes {
    static final Duration TTL = Duration.ofMinutes(5);
    static final long DEFAULT_MAX_BODY = 1L << 20;

    private HttpFakes() {}

    /** Captures every call; answers with a canned page / incident, or throws what it was told to. */
    static final class RecordingQueries implements IncidentQueries {
        final List<ListQuery> lists = new CopyOnWriteArrayList<>();
        final List<String> gets = new CopyOnWriteArrayList<>();
        volatile IncidentPage page = new IncidentPage(List.of(), null, null);
        volatile Incident incident;
        volatile RuntimeException failure;

        @Override
        public IncidentPage list(final ListQuery query) {
            lists.add(query);
            if (failure != null) {
                throw failure;
            }
            return page;
        }

        @Override
        public Incident get(final String tenant, final String id) {
            gets.add(tenant + "/" + id);
            if (failure != null) {
                throw failure;
            }
            if (incident == null || !incident.id().equals(id)) {
                throw new NotFoundException("no incident " + id);
            }
            return incident;
        }

        ListQuery onlyQuery() {
            if (lists.size() != 1) {
                throw new AssertionError("expected exactly one list call, got " + lists);
            }
            return lists.get(0);
        }
    }

    /** Captures every published batch; throws {@link #failure} instead when set. */
    static final class RecordingSink implements AlertSink {
        final List<List<AlertEvent>> batches = new CopyOnWriteArrayList<>();
        volatile RuntimeException failure;

        @Override
        public void publishEncoded(final List<EncodedAlert> alerts) {
            if (failure != null) {
                throw failure;
            }
            batches.add(alerts.stream().map(EncodedAlert::event).toList());
        }

        List<AlertEvent> events() {
            return batches.stream().flatMap(List::stream).toList();
        }
    }

    static final class FakeHealth implements Health {
        volatile boolean live = true;
        volatile boolean ready = true;
        volatile Map<String, Object> details = Map.of("streams", "RUNNING");

        @Override
        public boolean live() {
            return live;
        }

        @Override
        public boolean ready() {
            return ready;
        }

        @Override
        public Map<String, Object> details() {
            return details;
        }
    }

    static Javalin app(
            final RecordingQueries queries,
            final RecordingSink sink,
            final FakeHealth health,
            final PrometheusMeterRegistry metrics,
            final long maxBodyBytes) {
        final HttpApi.Builder api =
                HttpApi.builder(queries, new AlertDecoder(TTL), sink, health).maxBodyBytes(maxBodyBytes);
        if (metrics != null) {
            api.metrics(metrics);
        }
        return api.build();
    }

    /**
     * One instance serving the only partition of empty in-memory stores, for {@code GET /incidents/summary};
     * its stores fail as {@code queries} does when that failure is an {@link io.incidentstream.errors.UnavailableException}.
     */
    static LocalSummaries summaries(final RecordingQueries queries) {
        final StoreAccess stores = new ClusterFixture(1).access(Set.of(0));
        return new LocalSummaries(new StoreAccess() {
            @Override
            public List<PartitionStores> activePartitions() {
                if (queries.failure instanceof io.incidentstream.errors.UnavailableException unavailable) {
                    throw unavailable;
                }
                return stores.activePartitions();
            }

            @Override
            public Optional<PartitionStores> partition(final int partition) {
                return stores.partition(partition);
            }

            @Override
            public int partitionCount() {
                return 1;
            }
        });
    }

    /**
     * {@link #app} with {@code GET /incidents/stream} too (one client at most, a feed with nothing to
     * read back) and {@code GET /incidents/summary} ({@link #summaries}).
     */
    static Javalin appWithStream(
            final RecordingQueries queries,
            final RecordingSink sink,
            final FakeHealth health,
            final PrometheusMeterRegistry metrics,
            final long maxBodyBytes) {
        final FanOut fanOut = new FanOut(1, 10);
        fanOut.start(StreamPosition.of(new long[] {0, 0}));
        final HttpApi.Builder api = HttpApi.builder(queries, new AlertDecoder(TTL), sink, health)
                .maxBodyBytes(maxBodyBytes)
                .liveStream(
                        fanOut,
                        (from, to, out, timeout) -> ChangeFeed.Replay.COMPLETE,
                        new StreamSession.Settings(Duration.ofSeconds(1), 10, Duration.ofSeconds(5)));
        final LocalSummaries local = summaries(queries);
        api.summary(
                new ClusterSummaries(
                        local,
                        FakePeerDirectory.alone("self:1", 1),
                        (peer, tenant, from) -> CompletableFuture.failedFuture(new IllegalStateException("no peers")),
                        Clock.systemUTC()),
                local);
        if (metrics != null) {
            api.metrics(metrics);
        }
        return api.build();
    }

    static Javalin app(final RecordingQueries queries, final RecordingSink sink) {
        return app(queries, sink, new FakeHealth(), null, DEFAULT_MAX_BODY);
    }

    /** Posts {@code body} byte for byte (the test client would otherwise run it through the JSON mapper). */
    static Response postRaw(final HttpClient client, final String path, final String body) {
        return client.request(
                path,
                b -> b.post(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                        .header("Content-Type", "application/json"));
    }

    static JsonNode json(final Response response) {
        try {
            return Json.mapper().readTree(response.body().string());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "response is not JSON: " + response.body().string(), e);
        }
    }

    /** A list-style incident (no timeline) with fixed, recognisable times. */
    static Incident incident(final String id) {
        return new Incident.Builder()
                .id(id)
                .tenantId("default")
                .alertId("alert-" + id)
                .alertVersion(1)
                .alertTemplateId("template-" + id)
                .status(Status.ACTIVE)
                .severity(Severity.HIGH)
                .title("Usage above threshold")
                .source(Source.AUTOMATED)
                .createdAt(Instant.parse("2026-11-23T10:00:00Z"))
                .updatedAt(Instant.parse("2026-11-23T10:01:30Z"))
                .lastCheckedAt(Instant.parse("2026-11-23T10:01:30Z"))
                .validUntil(Instant.parse("2026-11-23T10:06:30Z"))
                .alertCount(2)
                .reportData(Json.mapper().createObjectNode().put("usageValue", 10))
                .labels(Map.of("service", "billing"))
                .build();
    }

    /** The same incident as get-by-id returns it: with a timeline of one transition. */
    static Incident withTimeline(final Incident incident) {
        return incident.toBuilder()
                .addTransition(new TimelineEntry(
                        Instant.parse("2026-11-23T10:00:00Z"),
                        null,
                        Status.ACTIVE,
                        TimelineEntry.SOURCE_ALERT,
                        null,
                        null))
                .build();
    }
}
