package io.incidentstream.metrics;

import io.incidentstream.errors.BadRequestException;
import io.incidentstream.errors.NotFoundException;
import io.incidentstream.errors.UnavailableException;
import io.incidentstream.model.Incident;
import io.incidentstream.query.IncidentPage;
import io.incidentstream.query.IncidentQueries;
import io.incidentstream.query.ListQuery;
import io.incidentstream.query.Stale;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.function.Supplier;

/**
 * Times every query, whatever answers it (local stores today, scatter-gather over peers later):
 * {@code incidents.query{operation=list|get, outcome}}. Apart from the HTTP timer, this isolates
 * the store and fan-out cost from JSON encoding and the network.
 */
public final class TimedIncidentQueries implements IncidentQueries {
    private final IncidentQueries delegate;
    private final MeterRegistry registry;

    public TimedIncidentQueries(final IncidentQueries delegate, final MeterRegistry registry) {
        this.delegate = delegate;
        this.registry = registry;
        for (String operation : new String[] {"list", "get"}) {
            timer(operation, "success"); // present from the start, so rate() has a zero to begin from
        }
    }

    @Override
    public IncidentPage list(final ListQuery query) {
        return timed("list", () -> delegate.list(query));
    }

    @Override
    public Incident get(final String tenant, final String id) {
        return timed("get", () -> delegate.get(tenant, id));
    }

    @Override
    public Stale<Incident> getStale(final String tenant, final String id) {
        return timed("get", () -> delegate.getStale(tenant, id));
    }

    private <T> T timed(final String operation, final Supplier<T> call) {
        final Timer.Sample sample = Timer.start(registry);
        String outcome = "error";
        try {
            final T result = call.get();
            outcome = "success";
            return result;
        } catch (NotFoundException e) {
            outcome = "not-found";
            throw e;
        } catch (BadRequestException e) {
            outcome = "bad-request";
            throw e;
        } catch (UnavailableException e) {
            outcome = "unavailable";
            throw e;
        } finally {
            sample.stop(timer(operation, outcome));
        }
    }

    private Timer timer(final String operation, final String outcome) {
        return Timer.builder("incidents.query")
                .description("Incident queries (list pages, get by id) as the query service answers them, by outcome")
                .tag("operation", operation)
                .tag("outcome", outcome)
                .serviceLevelObjectives(HttpMetrics.BUCKETS)
                .register(registry);
    }
}
