package io.incidentstream.http;

import io.incidentstream.metrics.HttpMetrics;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import java.time.Duration;

/**
 * Feeds {@link HttpMetrics} from Javalin's request logger, which runs once per request after the
 * response is complete, exceptions and 404s included, with the time Javalin measured from the
 * request's start. The route is the matched endpoint's template, never the raw path.
 */
final class RequestTiming {
    private RequestTiming() {}

    static void register(final JavalinConfig config, final HttpMetrics metrics) {
        config.requestLogger.http((ctx, millis) -> metrics.record(
                ctx.method().name(), route(ctx), ctx.statusCode(), Duration.ofNanos((long) (millis * 1_000_000.0))));
    }

    private static String route(final Context ctx) {
        final Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        return endpoint == null ? null : endpoint.path;
    }
}
