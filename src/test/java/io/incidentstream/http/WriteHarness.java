package io.incidentstream.http;

import io.incidentstream.ingest.AlertDecoder;
import io.incidentstream.model.Commands;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentCommand;
import io.incidentstream.query.ClusterFixture;
import io.incidentstream.query.IncidentPage;
import io.incidentstream.query.IncidentQueries;
import io.incidentstream.query.IncidentWrites;
import io.incidentstream.query.ListQuery;
import io.incidentstream.query.LocalIncidentQueries;
import io.incidentstream.store.IncidentStore;
import io.incidentstream.testkit.FakePeerDirectory;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The HTTP write path over real in-memory stores and a real {@link IncidentWrites}, without Kafka:
 * the command sink applies each command to the partition's store the way the incident processor
 * does (or drops it, to provoke a 202; or fails, to provoke a 503).
 */
final class WriteHarness implements AutoCloseable {
    static final int PARTITIONS = 6;

    final ClusterFixture fixture = new ClusterFixture(PARTITIONS);
    final LocalIncidentQueries local =
            fixture.instance(IntStream.range(0, PARTITIONS).boxed().collect(Collectors.toSet()));
    volatile boolean applyCommands = true;
    volatile RuntimeException sinkFailure;
    private final Commands rules = new Commands(Duration.ofMinutes(5));

    /** A server with the write routes (and everything else over the given fakes). */
    Javalin app(
            final HttpFakes.RecordingSink alerts,
            final HttpFakes.FakeHealth health,
            final PrometheusMeterRegistry metrics,
            final long maxBodyBytes) {
        final IncidentWrites writes = new IncidentWrites(
                this::send,
                FakePeerDirectory.alone("self:0", PARTITIONS),
                local,
                (peer, partition, commandId) -> CompletableFuture.failedFuture(new IllegalStateException("no peers")),
                reads(),
                Duration.ofMillis(200));
        final HttpApi.Builder api = HttpApi.builder(reads(), new AlertDecoder(HttpFakes.TTL), alerts, health)
                .maxBodyBytes(maxBodyBytes)
                .writes(writes);
        if (metrics != null) {
            api.metrics(metrics);
        }
        return api.build();
    }

    /** What the incident processor does with a command, on the partition's store. */
    private void send(final int partition, final IncidentCommand command) {
        if (sinkFailure != null) {
            throw sinkFailure;
        }
        if (!applyCommands) {
            return;
        }
        final IncidentStore store = fixture.writer(partition);
        if (store.resultOf(command.commandId()) != null) {
            return;
        }
        final Incident current = command.incidentId() == null ? null : store.get(command.incidentId());
        final Commands.Applied applied = rules.apply(current, command, () -> store.nextId(partition));
        if (applied.deleted()) {
            store.delete(applied.incident());
        } else if (applied.incident() != null) {
            store.save(current, applied.incident());
        }
        store.recordResult(applied.result());
    }

    private IncidentQueries reads() {
        return new IncidentQueries() {
            @Override
            public IncidentPage list(final ListQuery query) {
                return new IncidentPage(List.of(), null, null);
            }

            @Override
            public Incident get(final String tenant, final String id) {
                return local.get(tenant, id);
            }
        };
    }

    @Override
    public void close() {
        fixture.close();
    }
}
