package io.incidentstream.http;

import io.incidentstream.errors.BadRequestException;
import io.incidentstream.errors.ConflictException;
import io.incidentstream.errors.IdempotencyKeyReusedException;
import io.incidentstream.errors.NotFoundException;
import io.incidentstream.errors.UnavailableException;
import io.incidentstream.ingest.InvalidPagerDutyEventException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP answers: always {@code {"message": …}}, never a stack
 * trace. Unexpected exceptions are logged with their trace and answered with a generic 500.
 */
final class ErrorMapping {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);
    private static final int MAX_MESSAGE = 500;

    private ErrorMapping() {}

    static void register(final RoutesConfig routes) {
        routes.exception(BadRequestException.class, (e, ctx) -> answer(ctx, 400, e.getMessage()));
        routes.exception(
                InvalidPagerDutyEventException.class,
                (e, ctx) -> ctx.status(400).json(pagerDutyError(e)));
        routes.exception(NotFoundException.class, (e, ctx) -> answer(ctx, 404, e.getMessage()));
        routes.exception(ConflictException.class, (e, ctx) -> answer(ctx, 409, e.getMessage()));
        routes.exception(IdempotencyKeyReusedException.class, (e, ctx) -> answer(ctx, 422, e.getMessage()));
        routes.exception(UnavailableException.class, (e, ctx) -> {
            ctx.header("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())));
            answer(ctx, 503, e.getMessage());
        });
        routes.exception(HttpResponseException.class, (e, ctx) -> answer(ctx, e.getStatus(), e.getMessage()));
        routes.exception(Exception.class, ErrorMapping::unhandled);
    }

    /**
     * Anything else: a 500 with no detail, the detail in the log. Never throws: once a request's
     * response is gone (a client that left a long-lived request, whose response Jetty has recycled),
     * touching the context throws, and an exception handler that throws makes Javalin queue the
     * handling of that exception again, without end. Such a request has no one left to answer.
     */
    static void unhandled(final Exception e, final Context ctx) {
        final String route;
        try {
            route = ctx.method() + " " + ctx.path();
        } catch (RuntimeException gone) {
            LOG.debug("Error after the response was gone: {}", e.toString());
            return;
        }
        LOG.error("Unhandled error on {}", route, e);
        try {
            answer(ctx, 500, "internal error");
        } catch (RuntimeException gone) {
            LOG.debug("Could not answer {}: {}", route, gone.toString());
        }
    }

    /** PagerDuty's own error shape, which its client libraries parse. */
    private static Map<String, Object> pagerDutyError(final InvalidPagerDutyEventException e) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "invalid event");
        body.put("message", "Event object is invalid");
        body.put(
                "errors",
                e.errors().stream()
                        .map(m -> m.length() <= MAX_MESSAGE ? m : m.substring(0, MAX_MESSAGE - 1) + "…")
                        .toList());
        return body;
    }

    static void answer(final Context ctx, final int status, final String message) {
        final String text = message == null || message.isBlank() ? "error" : message;
        ctx.status(status)
                .json(Map.of(
                        "message", text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE - 1) + "…"));
    }
}
