package io.incidentstream.http;

import io.incidentstream.ingest.AlertSink;
import io.incidentstream.ingest.PagerDutyAdapter;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v2/enqueue}, PagerDuty's Events API v2, so tools that page through PagerDuty can
 * point at incident-stream by changing one URL. HTTP I/O only; the mapping is
 * {@link PagerDutyAdapter}'s. Answers as PagerDuty does: 202 with the {@code dedup_key} once the
 * broker has the event; an invalid event is a 400 in PagerDuty's error shape (see
 * {@link ErrorMapping}).
 */
final class PagerDutyController {
    private final PagerDutyAdapter adapter;
    private final AlertSink sink;
    private final Clock clock;

    PagerDutyController(final PagerDutyAdapter adapter, final AlertSink sink, final Clock clock) {
        this.adapter = adapter;
        this.sink = sink;
        this.clock = clock;
    }

    void enqueue(final Context ctx) {
        final PagerDutyAdapter.Accepted accepted = adapter.translate(ctx.bodyAsBytes(), clock.instant());
        sink.publish(List.of(Tenants.ingest(ctx, accepted.event(), false)));
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "success");
        body.put("message", "Event processed");
        body.put("dedup_key", accepted.dedupKey());
        ctx.status(202).json(body);
    }
}
