package io.incidentstream.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * {@code http.server.requests}: one timer per (method, route template, status), the names and
 * tags Micrometer's own web instrumentations use, so stock dashboards work.
 *
 * <p>Why not the {@code javalin-micrometer} plugin: its newest release (6.7.0) is built for
 * Javalin 6 on Jetty 11 ({@code micrometer-jetty11}); there is none for Javalin 7 on Jetty 12.
 *
 * <p>Cardinality is bounded by construction: {@code uri} is the route template
 * ({@code /incidents/{id}}), never the raw path; requests that match no route are tagged
 * {@code NOT_FOUND} (404) or {@code UNKNOWN}; methods outside the standard set become {@code OTHER}.
 */
public final class HttpMetrics {
    /** Latency buckets for SLOs and {@code histogram_quantile} across instances. */
    static final Duration[] BUCKETS = {
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10)
    };

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final MeterRegistry registry;

    public HttpMetrics(final MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Times one request.
     *
     * @param route the matched route template, or null when no route matched
     */
    public void record(final String method, final String route, final int status, final Duration took) {
        Timer.builder("http.server.requests")
                .description("HTTP requests by method, route template and status")
                .tag("method", method(method))
                .tag("uri", uri(route, status))
                .tag("status", Integer.toString(status))
                .tag("outcome", outcome(status))
                .serviceLevelObjectives(BUCKETS)
                .register(registry)
                .record(took);
    }

    private static String method(final String method) {
        final String upper = method == null ? "" : method.toUpperCase(Locale.ROOT);
        return METHODS.contains(upper) ? upper : "OTHER";
    }

    static String uri(final String route, final int status) {
        if (route != null && !route.isEmpty()) {
            return route;
        }
        return status == 404 ? "NOT_FOUND" : "UNKNOWN";
    }

    static String outcome(final int status) {
        if (status < 200) {
            return "INFORMATIONAL";
        }
        if (status < 300) {
            return "SUCCESS";
        }
        if (status < 400) {
            return "REDIRECTION";
        }
        return status < 500 ? "CLIENT_ERROR" : "SERVER_ERROR";
    }
}
