package io.incidentstream.http;

import io.incidentstream.ingest.AlertDecoder;
import io.incidentstream.ingest.AlertSink;
import io.incidentstream.ingest.AlertmanagerAdapter;
import io.incidentstream.ingest.PagerDutyAdapter;
import io.javalin.config.RoutesConfig;
import java.time.Clock;
import java.time.Duration;

/**
 * The ingest endpoints that speak other monitoring systems' protocols, registered apart from
 * {@link HttpApi} so that the wiring of the adapters stays in one small place:
 * <ul>
 *   <li>{@code POST /alerts/alertmanager} — Alertmanager webhook (version 4)</li>
 *   <li>{@code POST /api/v2/alerts} — Alertmanager API v2, for Prometheus' {@code alerting} section</li>
 *   <li>{@code POST /v2/enqueue} — PagerDuty Events API v2</li>
 * </ul>
 */
final class AdapterRoutes {
    private AdapterRoutes() {}

    static void register(
            final RoutesConfig routes,
            final AlertDecoder decoder,
            final AlertSink sink,
            final Clock clock,
            final Duration pagerDutyTtl) {
        final AlertmanagerController alertmanager =
                new AlertmanagerController(new AlertmanagerAdapter(decoder), sink, clock);
        final PagerDutyController pagerDuty =
                new PagerDutyController(new PagerDutyAdapter(decoder, pagerDutyTtl), sink, clock);
        routes.post("/alerts/alertmanager", alertmanager::webhook);
        routes.post("/api/v2/alerts", alertmanager::postAlerts);
        routes.post("/v2/enqueue", pagerDuty::enqueue);
    }
}
