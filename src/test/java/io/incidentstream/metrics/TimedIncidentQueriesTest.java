package io.incidentstream.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.incidentstream.errors.BadRequestException;
import io.incidentstream.errors.NotFoundException;
import io.incidentstream.errors.UnavailableException;
import io.incidentstream.model.Incident;
import io.incidentstream.query.IncidentPage;
import io.incidentstream.query.IncidentQueries;
import io.incidentstream.query.ListQuery;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** {@code incidents.query}: every call timed once, tagged by operation and outcome, results and failures passed through. */
class TimedIncidentQueriesTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Supplier<RuntimeException> failure = () -> null;
    private final IncidentPage page = new IncidentPage(List.of(), null, null);
    private final IncidentQueries timed = new TimedIncidentQueries(
            new IncidentQueries() {
                @Override
                public IncidentPage list(final ListQuery query) {
                    final RuntimeException e = failure.get();
                    if (e != null) {
                        throw e;
                    }
                    return page;
                }

                @Override
                public Incident get(final String tenant, final String id) {
                    throw new NotFoundException("no " + id);
                }
            },
            registry);

    private long count(final String operation, final String outcome) {
        return registry.get("incidents.query")
                .tag("operation", operation)
                .tag("outcome", outcome)
                .timer()
                .count();
    }

    @Test
    void shouldTimeListsAndGetsByOutcome() {
        assertSame(page, timed.list(null));
        assertThrows(NotFoundException.class, () -> timed.get("t", "x"));
        failure = () -> new BadRequestException("bad");
        assertThrows(BadRequestException.class, () -> timed.list(null));
        failure = () -> new UnavailableException("later", Duration.ofSeconds(1));
        assertThrows(UnavailableException.class, () -> timed.list(null));
        failure = () -> new IllegalStateException("bug");
        assertThrows(IllegalStateException.class, () -> timed.list(null));

        assertEquals(1, count("list", "success"));
        assertEquals(1, count("get", "not-found"));
        assertEquals(1, count("list", "bad-request"));
        assertEquals(1, count("list", "unavailable"));
        assertEquals(1, count("list", "error"));
        assertEquals(0, count("get", "success"), "registered up front at zero");
    }
}
