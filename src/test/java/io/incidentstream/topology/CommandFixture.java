package io.incidentstream.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.incidentstream.codec.Json;
import io.incidentstream.model.CommandResult;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentCommand;
import io.incidentstream.model.IncidentEvent;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Status;
import io.incidentstream.store.CommandResults;
import io.incidentstream.store.IncidentStores;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * {@link TopologyFixture} plus the {@code incident-commands} input: builds commands as the API
 * would ({@link io.incidentstream.query.WriteRequests}), writes them as JSON keyed like
 * {@link io.incidentstream.kafka.KafkaCommandSink} (incident id, or command id for a CREATE), and
 * reads the recorded results back.
 */
final class CommandFixture implements AutoCloseable {
    static final String TENANT = "acme";
    static final String ACTOR = "alice";

    final TopologyFixture f = new TopologyFixture();
    final TestInputTopic<byte[], byte[]> commands = f.driver.createInputTopic(
            Topics.INCIDENT_COMMANDS,
            Serdes.ByteArray().serializer(),
            Serdes.ByteArray().serializer());

    static IncidentCommand create(final String commandId, final long seconds, final Status status) {
        return new IncidentCommand(
                commandId,
                IncidentCommand.Kind.CREATE,
                TENANT,
                null,
                ACTOR,
                TopologyFixture.at(seconds),
                "Disk full",
                Severity.HIGH,
                "sda1",
                "bob",
                false,
                Map.of("team", "ops"),
                status,
                "by hand");
    }

    static IncidentCommand status(
            final String commandId, final String id, final long seconds, final Status status, final String note) {
        return update(commandId, TENANT, id, seconds, status, null, note);
    }

    static IncidentCommand update(
            final String commandId,
            final String tenant,
            final String id,
            final long seconds,
            final Status status,
            final Severity severity,
            final String note) {
        return new IncidentCommand(
                commandId,
                IncidentCommand.Kind.UPDATE,
                tenant,
                id,
                ACTOR,
                TopologyFixture.at(seconds),
                null,
                severity,
                null,
                null,
                false,
                null,
                status,
                note);
    }

    static IncidentCommand delete(final String commandId, final String id, final long seconds) {
        return new IncidentCommand(
                commandId,
                IncidentCommand.Kind.DELETE,
                TENANT,
                id,
                ACTOR,
                TopologyFixture.at(seconds),
                null,
                null,
                null,
                null,
                false,
                null,
                null,
                null);
    }

    static byte[] json(final Object value) {
        try {
            return Json.mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    void send(final IncidentCommand c) {
        final String key = c.incidentId() != null ? c.incidentId() : c.commandId();
        commands.pipeInput(TopologyFixture.utf8(key), json(c));
    }

    /** Creates a manual incident and returns its id, leaving no output unread. */
    String created(final String commandId, final Status status) {
        send(create(commandId, 0, status));
        drain();
        return result(commandId).incidentId();
    }

    /** Opens an automated incident for alert {@code cpu} at 0 s and returns it, leaving no output unread. */
    Incident automated() {
        f.firing("cpu", 0);
        drain();
        return f.latest("cpu");
    }

    void drain() {
        f.incidents.readRecordsToList();
        f.events.readRecordsToList();
    }

    List<IncidentEvent> events() {
        return f.events.readValuesToList().stream()
                .map(IncidentEvent::withoutIncident)
                .toList();
    }

    KeyValueStore<String, byte[]> resultStore() {
        return f.driver.getKeyValueStore(IncidentStores.COMMAND_RESULTS);
    }

    CommandResult result(final String commandId) {
        return CommandResults.get(resultStore(), commandId);
    }

    Incident stored(final String id) {
        return f.incidentStore().get(id);
    }

    boolean noOutput() {
        return f.incidents.isEmpty() && f.events.isEmpty();
    }

    @Override
    public void close() {
        f.close();
    }
}
