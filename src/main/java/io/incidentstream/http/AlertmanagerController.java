package io.incidentstream.http;

import io.incidentstream.ingest.AlertSink;
import io.incidentstream.ingest.AlertmanagerAdapter;
import io.incidentstream.model.AlertEvent;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The two Alertmanager-shaped ingest endpoints; HTTP I/O only, the mapping is
 * {@link AlertmanagerAdapter}'s. Both answer only after the broker acknowledged every event of the
 * request (503 otherwise, which Alertmanager and Prometheus retry), and a 400 means nothing of the
 * request was produced.
 */
final class AlertmanagerController {
    private final AlertmanagerAdapter adapter;
    private final AlertSink sink;
    private final Clock clock;

    AlertmanagerController(final AlertmanagerAdapter adapter, final AlertSink sink, final Clock clock) {
        this.adapter = adapter;
        this.sink = sink;
        this.clock = clock;
    }

    /** {@code POST /alerts/alertmanager}: a webhook notification; 202 {@code {"accepted": n}}. */
    void webhook(final Context ctx) {
        final List<AlertEvent> events = adapter.fromWebhook(ctx.bodyAsBytes(), clock.instant());
        publish(ctx, events);
        ctx.status(202).json(Map.of("accepted", events.size()));
    }

    /**
     * {@code POST /api/v2/alerts}: what Prometheus sends to an alertmanager. 200 with an empty body,
     * as Alertmanager's own {@code postAlerts} answers.
     */
    void postAlerts(final Context ctx) {
        publish(ctx, adapter.fromApi(ctx.bodyAsBytes(), clock.instant()));
        ctx.status(200);
    }

    /** Alertmanager payloads name no tenant: every event is the caller's ({@link Tenants#ingest}). */
    private void publish(final Context ctx, final List<AlertEvent> events) {
        if (!events.isEmpty()) {
            sink.publish(events.stream().map(e -> Tenants.ingest(ctx, e, false)).toList());
        }
    }
}
