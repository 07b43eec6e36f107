package io.incidentstream.http;

import io.incidentstream.auth.Authenticator;
import io.incidentstream.cluster.PeerProtocol;
import io.incidentstream.codec.Json;
import io.incidentstream.ingest.AlertDecoder;
import io.incidentstream.ingest.AlertSink;
import io.incidentstream.metrics.HttpMetrics;
import io.incidentstream.query.IncidentQueries;
import io.incidentstream.query.IncidentWrites;
import io.incidentstream.query.LocalIncidentQueries;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the Javalin server from its dependencies (no globals), so tests drive the same routes over
 * fakes. Routes:
 * <ul>
 *   <li>{@code POST /alerts} — native alert or array; 202 once the broker has them</li>
 *   <li>{@code POST /alerts/alertmanager}, {@code POST /api/v2/alerts}, {@code POST /v2/enqueue} —
 *       Alertmanager, Prometheus and PagerDuty ({@link AdapterRoutes})</li>
 *   <li>{@code GET /incidents}, {@code GET /incidents/{id}} — from the state stores</li>
 *   <li>{@code POST /incidents}, {@code PATCH /incidents/{id}}, {@code DELETE /incidents/{id}} — commands through Kafka</li>
 *   <li>{@code GET /health/live}, {@code GET /health/ready}, {@code GET /metrics}</li>
 *   <li>{@code GET /openapi.json} — the OpenAPI document, a resource served as-is</li>
 *   <li>{@code GET /internal/v1/incidents[/{id}]} — peers' scatter-gather and routed gets</li>
 * </ul>
 * With a registry, every request is timed in {@code http.server.requests} by route template. With an
 * {@link Authenticator}, {@link AuthFilter} guards every public path by bearer token and scope.
 */
public final class HttpApi {
    private HttpApi() {}

    /**
     * Everything the HTTP layer needs. {@code metrics} may be null (no {@code /metrics} route);
     * {@code local} may be null (no internal peer endpoints, e.g. in controller tests).
     *
     * @param clock        the receive time of ingested alerts (the adapters' {@code checkedAt})
     * @param pagerDutyTtl how long a PagerDuty trigger stays valid ({@code PAGERDUTY_TTL})
     * @param auth         null: auth off (no {@code AUTH_TOKENS_FILE}), every caller is the default tenant
     */
    public record Dependencies(
            IncidentQueries queries,
            AlertDecoder decoder,
            AlertSink sink,
            Health health,
            PrometheusMeterRegistry metrics,
            long maxBodyBytes,
            LocalIncidentQueries local,
            Optional<String> peerToken,
            IncidentWrites writes,
            Clock clock,
            Duration pagerDutyTtl,
            Authenticator auth) {

        /** The default {@code PAGERDUTY_TTL}, for the shorter constructors. */
        public static final Duration DEFAULT_PAGERDUTY_TTL = Duration.ofHours(24);

        public Dependencies(
                final IncidentQueries queries,
                final AlertDecoder decoder,
                final AlertSink sink,
                final Health health,
                final PrometheusMeterRegistry metrics,
                final long maxBodyBytes) {
            this(queries, decoder, sink, health, metrics, maxBodyBytes, null, Optional.empty(), null);
        }

        public Dependencies(
                final IncidentQueries queries,
                final AlertDecoder decoder,
                final AlertSink sink,
                final Health health,
                final PrometheusMeterRegistry metrics,
                final long maxBodyBytes,
                final LocalIncidentQueries local,
                final Optional<String> peerToken) {
            this(queries, decoder, sink, health, metrics, maxBodyBytes, local, peerToken, null);
        }

        /** Without auth. */
        public Dependencies(
                final IncidentQueries queries,
                final AlertDecoder decoder,
                final AlertSink sink,
                final Health health,
                final PrometheusMeterRegistry metrics,
                final long maxBodyBytes,
                final LocalIncidentQueries local,
                final Optional<String> peerToken,
                final IncidentWrites writes,
                final Clock clock,
                final Duration pagerDutyTtl) {
            this(
                    queries,
                    decoder,
                    sink,
                    health,
                    metrics,
                    maxBodyBytes,
                    local,
                    peerToken,
                    writes,
                    clock,
                    pagerDutyTtl,
                    null);
        }

        /** The same dependencies guarded by {@code auth}. */
        public Dependencies withAuth(final Authenticator authenticator) {
            return new Dependencies(
                    queries,
                    decoder,
                    sink,
                    health,
                    metrics,
                    maxBodyBytes,
                    local,
                    peerToken,
                    writes,
                    clock,
                    pagerDutyTtl,
                    authenticator);
        }

        /** With the system clock and the default {@code PAGERDUTY_TTL}. */
        public Dependencies(
                final IncidentQueries queries,
                final AlertDecoder decoder,
                final AlertSink sink,
                final Health health,
                final PrometheusMeterRegistry metrics,
                final long maxBodyBytes,
                final LocalIncidentQueries local,
                final Optional<String> peerToken,
                final IncidentWrites writes) {
            this(
                    queries,
                    decoder,
                    sink,
                    health,
                    metrics,
                    maxBodyBytes,
                    local,
                    peerToken,
                    writes,
                    Clock.systemUTC(),
                    DEFAULT_PAGERDUTY_TTL);
        }
    }

    public static Javalin create(final Dependencies deps) {
        final IncidentController incidents = new IncidentController(deps.queries());
        final AlertController alerts = new AlertController(deps.decoder(), deps.sink());
        final byte[] openApi = OpenApiDocument.load();
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = deps.maxBodyBytes();
            config.jsonMapper(new JavalinJackson(Json.mapper(), false));
            if (deps.metrics() != null) {
                RequestTiming.register(config, new HttpMetrics(deps.metrics()));
            }
            ErrorMapping.register(config.routes);
            if (deps.auth() != null) {
                config.routes.before(new AuthFilter(deps.auth())::check);
            }
            config.routes.post("/alerts", alerts::post);
            AdapterRoutes.register(config.routes, deps);
            config.routes.get("/incidents", incidents::list);
            config.routes.get("/incidents/{id}", incidents::get);
            if (deps.writes() != null) {
                final IncidentWriteController writes = new IncidentWriteController(deps.writes(), Clock.systemUTC());
                config.routes.post("/incidents", writes::create);
                config.routes.patch("/incidents/{id}", writes::update);
                config.routes.delete("/incidents/{id}", writes::delete);
            }
            config.routes.get(
                    "/health/live",
                    ctx -> health(ctx, deps.health(), deps.health().live()));
            config.routes.get(
                    "/health/ready",
                    ctx -> health(ctx, deps.health(), deps.health().ready()));
            if (deps.local() != null) {
                final InternalController internal = new InternalController(deps.local());
                final PeerAuth peerAuth = new PeerAuth(deps.peerToken());
                config.routes.before(PeerProtocol.PREFIX + "/*", peerAuth::check);
                config.routes.get(PeerProtocol.PREFIX + "/incidents", internal::page);
                config.routes.get(PeerProtocol.PREFIX + "/incidents/{id}", internal::get);
                config.routes.get(PeerProtocol.PREFIX + "/commands/{commandId}", internal::commandResult);
            }
            if (deps.metrics() != null) {
                config.routes.get(
                        "/metrics",
                        ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                                .result(deps.metrics().scrape()));
            }
            config.routes.get(
                    OpenApiDocument.PATH,
                    ctx -> ctx.contentType("application/json").result(openApi));
        });
    }

    private static void health(final io.javalin.http.Context ctx, final Health health, final boolean ok) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.putAll(health.details());
        body.put("status", ok ? "UP" : "DOWN");
        ctx.status(ok ? 200 : 503).json(body);
    }
}
