package io.incidentstream.http;

import io.incidentstream.auth.Authenticator;
import io.incidentstream.cluster.PeerProtocol;
import io.incidentstream.codec.Json;
import io.incidentstream.ingest.AlertDecoder;
import io.incidentstream.ingest.AlertSink;
import io.incidentstream.metrics.HttpMetrics;
import io.incidentstream.notify.Webhooks;
import io.incidentstream.query.AlertmanagerReads;
import io.incidentstream.query.AlertmanagerStatusSource;
import io.incidentstream.query.ChangeFeed;
import io.incidentstream.query.ClusterSummaries;
import io.incidentstream.query.FanOut;
import io.incidentstream.query.GroupingPreviews;
import io.incidentstream.query.GroupingRules;
import io.incidentstream.query.IncidentQueries;
import io.incidentstream.query.IncidentWrites;
import io.incidentstream.query.LocalIncidentQueries;
import io.incidentstream.query.LocalSummaries;
import io.incidentstream.query.StreamSession;
import io.incidentstream.silence.SilenceLog;
import io.incidentstream.silence.SilenceService;
import io.incidentstream.silence.SilenceView;
import io.incidentstream.silence.Silences;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Builds the Javalin server from its dependencies (no globals), so tests drive the same routes over
 * fakes. Routes:
 * <ul>
 *   <li>{@code POST /alerts} — native alert or array; 202 once the broker has them</li>
 *   <li>{@code POST /alerts/alertmanager}, {@code POST /api/v2/alerts}, {@code POST /v2/enqueue} —
 *       Alertmanager, Prometheus and PagerDuty ({@link AdapterRoutes})</li>
 *   <li>{@code GET /incidents}, {@code GET /incidents/{id}} — from the state stores</li>
 *   <li>{@code GET /incidents/summary} — open counts and response times across the cluster ({@link SummaryController})</li>
 *   <li>{@code GET /incidents/stream} — Server-Sent Events of incident changes ({@link StreamController})</li>
 *   <li>{@code GET /api/v2/alerts}, {@code /api/v2/alerts/groups}, {@code /api/v2/status},
 *       {@code /api/v2/receivers} — Alertmanager's read side ({@link AlertmanagerReadController})</li>
 *   <li>{@code POST /api/v2/silences}, {@code GET /api/v2/silences}, {@code GET}/{@code DELETE
 *       /api/v2/silence/{id}} — Alertmanager's silences ({@link SilenceController})</li>
 *   <li>{@code POST /incidents}, {@code PATCH /incidents/{id}}, {@code DELETE /incidents/{id}} — commands through Kafka</li>
 *   <li>{@code /webhooks[/{id}[/rotate-secret|/deliveries[/{deliveryId}/redeliver]]]} — webhook subscriptions ({@link WebhookController})</li>
 *   <li>{@code GET /health/live}, {@code GET /health/ready}, {@code GET /metrics}</li>
 *   <li>{@code GET /openapi.json} — the OpenAPI document, a resource served as-is</li>
 *   <li>{@code GET /}, {@code GET /console/{asset}} — the web console ({@link ConsoleAssets})</li>
 *   <li>{@code GET /internal/v1/incidents[/{id}]} — peers' scatter-gather and routed gets</li>
 * </ul>
 * Built by {@link #builder}: each call names what it turns on (auth, metrics, the peer endpoints,
 * writes); what is not turned on is off, as a null object ({@link Access#OPEN}, a registry that keeps
 * nothing) or a route that does not exist.
 */
public final class HttpApi {
    /** {@code PAGERDUTY_TTL}'s default, for servers built without the setting (tests). */
    public static final Duration DEFAULT_PAGERDUTY_TTL = Duration.ofHours(24);

    /** {@code MAX_IN_FLIGHT_WRITES}'s default. */
    public static final int DEFAULT_MAX_IN_FLIGHT_WRITES = 64;

    /** {@code HTTP_MAX_BODY}'s default. */
    public static final long DEFAULT_MAX_BODY = 1 << 20;

    private HttpApi() {}

    /** A server answering lists and gets from {@code queries} and ingesting through {@code decoder} into {@code sink}. */
    public static Builder builder(
            final IncidentQueries queries, final AlertDecoder decoder, final AlertSink sink, final Health health) {
        return new Builder(queries, decoder, sink, health);
    }

    /** What the server is made of; every setter returns this builder, and {@link #build()} may be called again. */
    public static final class Builder {
        private final IncidentQueries queries;
        private final AlertDecoder decoder;
        private AlertSink sink;
        private final Health health;
        private long maxBodyBytes = DEFAULT_MAX_BODY;
        private Clock clock = Clock.systemUTC();
        private Duration pagerDutyTtl = DEFAULT_PAGERDUTY_TTL;
        private Access access = Access.OPEN;
        private MeterRegistry timings = new CompositeMeterRegistry();
        private PrometheusMeterRegistry scrape;
        private LocalIncidentQueries local;
        private Optional<String> peerToken = Optional.empty();
        private IncidentWrites writes;
        private int maxInFlightWrites = DEFAULT_MAX_IN_FLIGHT_WRITES;
        private AlertmanagerReads alertmanagerReads;
        private Function<ShownIncidents, StreamController> liveStream;
        private SilenceService silenceService;
        private Silences silences;
        private Webhooks webhooks;
        private ClusterSummaries summaries;
        private LocalSummaries localSummaries;
        private GroupingRules groupingRules;
        private GroupingPreviews groupingPreviews;

        private Builder(
                final IncidentQueries queries, final AlertDecoder decoder, final AlertSink sink, final Health health) {
            this.queries = queries;
            this.decoder = decoder;
            this.sink = sink;
            this.health = health;
        }

        /** Replaces where ingested alerts go. */
        public Builder alertSink(final AlertSink alertSink) {
            this.sink = alertSink;
            return this;
        }

        /** Larger request bodies get 413 ({@code HTTP_MAX_BODY}). */
        public Builder maxBodyBytes(final long bytes) {
            this.maxBodyBytes = bytes;
            return this;
        }

        /** The time of received alerts (the adapters' {@code checkedAt}) and of writes. */
        public Builder clock(final Clock c) {
            this.clock = c;
            return this;
        }

        /** How long a PagerDuty trigger stays valid ({@code PAGERDUTY_TTL}). */
        public Builder pagerDutyTtl(final Duration ttl) {
            this.pagerDutyTtl = ttl;
            return this;
        }

        /** Turns auth on: every public path needs a bearer token with the scope its route needs. */
        public Builder auth(final Authenticator authenticator) {
            this.access = new AuthFilter(authenticator);
            return this;
        }

        /** Times every request in {@code http.server.requests} and serves {@code GET /metrics}. */
        public Builder metrics(final PrometheusMeterRegistry registry) {
            this.timings = registry;
            this.scrape = registry;
            return this;
        }

        /** Serves this instance's partitions to its peers under {@code /internal/v1}, guarded by {@code token}. */
        public Builder peerEndpoints(final LocalIncidentQueries localQueries, final Optional<String> token) {
            this.local = localQueries;
            this.peerToken = token;
            return this;
        }

        /** Turns on {@code POST /incidents}, {@code PATCH} and {@code DELETE /incidents/{id}}. */
        public Builder writes(final IncidentWrites incidentWrites) {
            this.writes = incidentWrites;
            return this;
        }

        /** Writes waiting on this instance at once; more get 503 ({@code MAX_IN_FLIGHT_WRITES}). */
        public Builder maxInFlightWrites(final int max) {
            this.maxInFlightWrites = max;
            return this;
        }

        /**
         * What Alertmanager's read API answers from; without it, the incidents of {@code queries}, at most
         * {@link AlertmanagerReads#DEFAULT_MAX_ALERTS} per answer, with clustering reported disabled.
         */
        public Builder alertmanagerReads(final AlertmanagerReads reads) {
            this.alertmanagerReads = reads;
            return this;
        }

        /** Turns on {@code GET /incidents/stream}: changes from {@code fanOut}, missed ones read back from {@code feed}. */
        public Builder liveStream(final FanOut fanOut, final ChangeFeed feed, final StreamSession.Settings settings) {
            this.liveStream = shown -> new StreamController(fanOut, feed, queries, settings, shown);
            return this;
        }

        /**
         * Where silences are managed ({@code /api/v2/silences}) and what marks incidents silenced; without
         * it, silences held in this server's memory only.
         */
        public Builder silences(final SilenceService service, final Silences view) {
            this.silenceService = service;
            this.silences = view;
            return this;
        }

        /** Turns on {@code /webhooks} (subscriptions, secret rotation, delivery log, redelivery). */
        public Builder webhooks(final Webhooks w) {
            this.webhooks = w;
            return this;
        }

        /** Turns on {@code GET /incidents/summary}, and its peers' part under {@code /internal/v1/summary}. */
        public Builder summary(final ClusterSummaries cluster, final LocalSummaries local) {
            this.summaries = cluster;
            this.localSummaries = local;
            return this;
        }

        /** Turns on {@code /rules/grouping}. */
        public Builder groupingRules(final GroupingRules rules) {
            this.groupingRules = rules;
            return this;
        }

        /** Turns on {@code POST /rules/grouping/preview}. */
        public Builder groupingPreviews(final GroupingPreviews previews) {
            this.groupingPreviews = previews;
            return this;
        }

        public Javalin build() {
            if (silenceService == null) {
                final SilenceView view = new SilenceView();
                silences(
                        new SilenceService(SilenceLog.inMemory(view), view, clock, SilenceService.DEFAULT_RETENTION),
                        view);
            }
            final ShownIncidents shown = new ShownIncidents(silences, clock);
            final IncidentController incidents = new IncidentController(queries, shown);
            final SilenceController silenceRoutes = new SilenceController(silenceService);
            final AlertmanagerReadController alertmanager = new AlertmanagerReadController(
                    alertmanagerReads != null
                            ? alertmanagerReads
                            : new AlertmanagerReads(
                                    queries,
                                    AlertmanagerStatusSource.standalone(
                                            clock.instant(), AlertmanagerStatusSource.versionInfo()),
                                    clock,
                                    AlertmanagerReads.DEFAULT_MAX_ALERTS,
                                    silences));
            final AlertController alerts = new AlertController(decoder, sink);
            final byte[] openApi = OpenApiDocument.load();
            return Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                config.http.maxRequestSize = maxBodyBytes;
                config.jsonMapper(new JavalinJackson(Json.mapper(), false));
                RequestTiming.register(config, new HttpMetrics(timings));
                ErrorMapping.register(config.routes);
                config.routes.before(access::check);
                config.routes.post("/alerts", alerts::post);
                AdapterRoutes.register(config.routes, decoder, sink, clock, pagerDutyTtl);
                config.routes.get("/incidents", incidents::list);
                if (liveStream != null) {
                    // before /incidents/{id}, which would take "stream" for an id
                    final StreamController live = liveStream.apply(shown);
                    config.routes.before(StreamController.PATH, live::admit);
                    config.routes.sse(StreamController.PATH, live::serve);
                }
                if (summaries != null) {
                    // before /incidents/{id}, as the stream
                    config.routes.get(SummaryController.PATH, new SummaryController(summaries)::summary);
                }
                config.routes.get("/incidents/{id}", incidents::get);
                config.routes.get("/incidents/{id}/alerts", incidents::members);
                config.routes.get("/api/v2/alerts", alertmanager::alerts);
                config.routes.get("/api/v2/alerts/groups", alertmanager::groups);
                config.routes.get("/api/v2/status", alertmanager::status);
                config.routes.get("/api/v2/receivers", alertmanager::receivers);
                config.routes.post("/api/v2/silences", silenceRoutes::post);
                config.routes.get("/api/v2/silences", silenceRoutes::list);
                config.routes.get("/api/v2/silence/{id}", silenceRoutes::get);
                config.routes.delete("/api/v2/silence/{id}", silenceRoutes::delete);
                if (writes != null) {
                    final IncidentWriteController write = new IncidentWriteController(writes, clock, shown);
                    final InFlightLimit limit = new InFlightLimit(maxInFlightWrites);
                    config.routes.post("/incidents", limit.around(write::create));
                    config.routes.patch("/incidents/{id}", limit.around(write::update));
                    config.routes.delete("/incidents/{id}", limit.around(write::delete));
                }
                if (webhooks != null) {
                    new WebhookController(webhooks).register(config.routes);
                }
                if (groupingRules != null) {
                    final GroupingRuleController rules = new GroupingRuleController(groupingRules);
                    config.routes.get(GroupingRuleController.PATH, rules::list);
                    config.routes.get(GroupingRuleController.PATH + "/{id}", rules::get);
                    config.routes.put(GroupingRuleController.PATH + "/{id}", rules::put);
                    config.routes.delete(GroupingRuleController.PATH + "/{id}", rules::delete);
                }
                if (groupingPreviews != null) {
                    config.routes.post(
                            GroupingRuleController.PREVIEW_PATH, new GroupingRuleController.Preview(groupingPreviews));
                }
                config.routes.get("/health/live", ctx -> health(ctx, health, health.live()));
                config.routes.get("/health/ready", ctx -> health(ctx, health, health.ready()));
                if (local != null) {
                    final InternalController internal = new InternalController(local, localSummaries);
                    final PeerAuth peerAuth = new PeerAuth(peerToken);
                    config.routes.before(PeerProtocol.PREFIX + "/*", peerAuth::check);
                    config.routes.get(PeerProtocol.PREFIX + "/incidents", internal::page);
                    config.routes.get(PeerProtocol.PREFIX + "/incidents/{id}", internal::get);
                    config.routes.get(PeerProtocol.PREFIX + "/commands/{commandId}", internal::commandResult);
                    if (localSummaries != null) {
                        config.routes.get(PeerProtocol.PREFIX + "/summary", internal::summary);
                    }
                }
                if (scrape != null) {
                    final PrometheusMeterRegistry registry = scrape;
                    config.routes.get(
                            "/metrics",
                            ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                                    .result(registry.scrape()));
                }
                final ConsoleAssets console = ConsoleAssets.load();
                config.routes.get(ConsoleAssets.PAGE, console::page);
                config.routes.get(ConsoleAssets.PREFIX + "{asset}", console::asset);
                config.routes.get(
                        OpenApiDocument.PATH,
                        ctx -> ctx.contentType("application/json").result(openApi));
            });
        }
    }

    private static void health(final Context ctx, final Health health, final boolean ok) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.putAll(health.details());
        body.put("status", ok ? "UP" : "DOWN");
        ctx.status(ok ? 200 : 503).json(body);
    }
}
