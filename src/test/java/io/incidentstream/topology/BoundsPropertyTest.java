package io.incidentstream.topology;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.incidentstream.codec.Json;
import io.incidentstream.errors.BadRequestException;
import io.incidentstream.model.Bounds;
import io.incidentstream.model.CommandResult;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentCommand;
import io.incidentstream.query.WriteRequests;
import io.incidentstream.store.IncidentSerde;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever sequence of accepted API writes and alerts arrives — texts at their largest
 * accepted size in the costliest characters, notes piling up on the same incidents, status changes,
 * expiry — and whatever arrives straight on the topics past the API, no record written to any topic
 * and no incident in the store exceeds its bound. Seeded, so a failure repeats; the seed is in the
 * message.
 */
class BoundsPropertyTest {
    private static final long SEED = 0x5eed_0023L;
    private static final int STEPS = 700;
    private static final String TENANT = "acme";
    /** Characters by their JSON cost: 1, 2 (quote), 3 (€), 6 (a control character), 12 (a surrogate pair). */
    private static final String[] PIECES = {"a", "\"", "€", "\u0001", "\ud83d\udd25"};

    private final Random random = new Random(SEED);
    private final CommandFixture c = new CommandFixture();
    private final TopologyFixture f = c.f;
    private final TestOutputTopic<byte[], byte[]> incidents = raw(Topics.INCIDENTS);
    private final TestOutputTopic<byte[], byte[]> events = raw(Topics.INCIDENT_EVENTS);
    private final List<String> ids = new ArrayList<>();
    private Instant now = TopologyFixture.START;
    private int commandSeq;
    private long largestIncident;
    private int refusedAtTheApi;

    @AfterEach
    void close() {
        c.close();
    }

    private TestOutputTopic<byte[], byte[]> raw(final String topic) {
        return f.driver.createOutputTopic(
                topic, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
    }

    @Test
    void shouldNeverWriteARecordOrStoreAnIncidentOverItsBound() {
        for (int step = 0; step < STEPS; step++) {
            now = now.plusSeconds(1 + random.nextInt(30));
            final int pick = random.nextInt(100);
            if (pick < 40) {
                noteOrPatch();
            } else if (pick < 50) {
                create();
            } else if (pick < 85) {
                alert();
            } else if (pick < 92) {
                pastTheApi();
            } else {
                f.advance(Duration.ofMinutes(random.nextInt(12)));
            }
            checkOutputs(step);
            if (step % 50 == 0) {
                checkStore(step);
            }
        }
        checkStore(STEPS);
        assertTrue(
                largestIncident > Bounds.MAX_INCIDENT_BYTES / 2,
                "the sequence reaches near the bound, so the property is tested: largest " + largestIncident);
        assertTrue(refusedAtTheApi > 0, "some writes were over a bound and refused");
    }

    // ---- what arrives ----

    /** Text of about {@code chars} characters, random in cost; {@code fit} cuts it to the largest accepted. */
    private String text(final int chars, final int maxChars, final int maxBytes, final boolean fit) {
        final StringBuilder b = new StringBuilder(chars + 2);
        while (b.length() < chars) {
            b.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return fit ? Bounds.cut(b.toString(), maxChars, maxBytes) : b.toString();
    }

    private String longText() {
        final boolean fit = random.nextInt(10) > 0;
        return text(Bounds.MAX_TEXT_CHARS + (fit ? 0 : 10), Bounds.MAX_TEXT_CHARS, Bounds.MAX_TEXT_BYTES, fit);
    }

    private String title() {
        final boolean fit = random.nextInt(10) > 0;
        return text(Bounds.MAX_TITLE_CHARS + (fit ? 0 : 1), Bounds.MAX_TITLE_CHARS, Integer.MAX_VALUE, fit);
    }

    private ObjectNode labels(final int count) {
        final ObjectNode labels = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < count; i++) {
            // about 16 KiB for 64 labels, so that some sets are just within the bound and some just over
            labels.put(
                    "k" + i,
                    text(random.nextInt(Bounds.MAX_LABEL_VALUE_CHARS), Bounds.MAX_LABEL_VALUE_CHARS, 250, true));
        }
        return labels;
    }

    private void create() {
        final ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("title", title());
        body.put("description", longText());
        body.put("note", longText());
        body.put("assignee", text(Bounds.MAX_ASSIGNEE_CHARS, Bounds.MAX_ASSIGNEE_CHARS, Integer.MAX_VALUE, true));
        body.set("labels", labels(random.nextInt(Bounds.MAX_LABELS + 1)));
        final String commandId = "cmd-" + ++commandSeq;
        if (submit(() -> WriteRequests.create(body, commandId, TENANT, actor(), now))) {
            final CommandResult result = c.result(commandId);
            if (result != null && result.applied()) {
                ids.add(result.incidentId());
            }
        }
    }

    /** Mostly a note of the largest accepted size on one of a few incidents: the attack, among other changes. */
    private void noteOrPatch() {
        if (ids.isEmpty()) {
            create();
            return;
        }
        final ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("note", longText());
        switch (random.nextInt(6)) {
            case 0 -> body.put("status", new String[] {"ACKNOWLEDGED", "RESOLVED", "ACTIVE"}[random.nextInt(3)]);
            case 1 -> body.put("description", longText());
            case 2 -> body.put("title", title());
            default -> {}
        }
        final String id = hot();
        submit(() -> WriteRequests.update(body, "cmd-" + ++commandSeq, TENANT, actor(), now, id));
    }

    /** One of a few incidents, manual or folded from alerts, so notes pile up on the same ones. */
    private String hot() {
        final List<String> hot = new ArrayList<>(ids.subList(0, Math.min(ids.size(), 2)));
        for (int a = 0; a < 4; a++) {
            final Incident latest = f.latest("a" + a);
            if (latest != null) {
                hot.add(latest.id());
            }
        }
        return hot.get(random.nextInt(hot.size()));
    }

    private String actor() {
        return random.nextInt(10) == 0 ? "s".repeat(300) : "alice";
    }

    /** As the API does: a command refused by its validation is a 400 and never produced. */
    private boolean submit(final java.util.function.Supplier<IncidentCommand> command) {
        final IncidentCommand built;
        try {
            built = command.get();
        } catch (BadRequestException e) {
            refusedAtTheApi++;
            return false;
        }
        c.send(built);
        return true;
    }

    /** A native alert with one of its fields at its largest, under the 64 KiB an alert may have. */
    private void alert() {
        final ObjectNode a = JsonNodeFactory.instance.objectNode();
        a.put("tenantId", TENANT);
        a.put("alertId", "a" + random.nextInt(4));
        a.put("status", random.nextInt(6) == 0 ? "RESOLVED" : "FIRING");
        a.put("checkedAt", now.toString());
        switch (random.nextInt(4)) {
            case 0 -> a.put("description", longText());
            case 1 -> a.set("labels", labels(Bounds.MAX_LABELS));
            case 2 -> a.putObject("reportData").put("blob", text(20_000, 30_000, 60_000, true));
            default -> a.put("title", title());
        }
        f.alerts.pipeInput(TopologyFixture.utf8(TENANT + "/" + a.get("alertId").textValue()), bytes(a));
    }

    /** Straight onto the topics: commands no API would produce, and a poison alert near 1 MiB. */
    private void pastTheApi() {
        final String id = ids.isEmpty() ? "incident.0.1" : ids.get(random.nextInt(ids.size()));
        final String huge = "€".repeat(100_000 + random.nextInt(200_000));
        switch (random.nextInt(3)) {
            case 0 ->
                c.send(new IncidentCommand(
                        "raw-" + ++commandSeq,
                        IncidentCommand.Kind.UPDATE,
                        TENANT,
                        id,
                        huge,
                        now,
                        huge,
                        null,
                        huge,
                        huge,
                        false,
                        null,
                        null,
                        huge));
            case 1 ->
                c.commands.pipeInput(
                        TopologyFixture.utf8(id),
                        TopologyFixture.utf8("{\"commandId\":\"" + huge + "\",\"kind\":\"UPDATE\",\"tenantId\":\"acme\""
                                + ",\"incidentId\":\"" + id + "\",\"at\":\"" + now + "\",\"note\":\"x\"}"));
            default -> f.alerts.pipeInput(TopologyFixture.utf8("acme/poison"), TopologyFixture.utf8(huge));
        }
    }

    private static byte[] bytes(final Object value) {
        try {
            return Json.mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- what comes out ----

    private static long size(final TestRecord<byte[], byte[]> r) {
        long size = (long) (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
        for (Header h : r.headers()) {
            size += h.key().length() + (h.value() == null ? 0 : h.value().length);
        }
        return size;
    }

    private void checkOutputs(final int step) {
        for (TestRecord<byte[], byte[]> r : incidents.readRecordsToList()) {
            largestIncident = Math.max(largestIncident, r.value() == null ? 0 : r.value().length);
            assertTrue(size(r) <= Bounds.MAX_INCIDENT_BYTES, "incidents record of " + size(r) + " at " + where(step));
        }
        for (TestRecord<byte[], byte[]> r : events.readRecordsToList()) {
            assertTrue(
                    size(r) <= Bounds.MAX_INCIDENT_BYTES,
                    "incident-events record of " + size(r) + " at " + where(step));
        }
        for (TestRecord<byte[], byte[]> r : f.dlq.readRecordsToList()) {
            assertTrue(
                    size(r) <= RecordSizeGuard.MAX_KEY_BYTES + RecordSizeGuard.MAX_VALUE_BYTES,
                    "alerts-dlq record of " + size(r) + " at " + where(step));
        }
    }

    private void checkStore(final int step) {
        final KeyValueStore<String, Incident> store = f.incidentStore();
        for (KeyValue<String, Incident> kv : TopologyFixture.all(store)) {
            final long stored = IncidentSerde.serde().serializer().serialize("t", kv.value).length;
            final long asJson = bytes(kv.value).length;
            assertTrue(stored <= Bounds.MAX_INCIDENT_BYTES, kv.key + " stored in " + stored + " at " + where(step));
            assertTrue(asJson <= Bounds.MAX_INCIDENT_BYTES, kv.key + " as JSON " + asJson + " at " + where(step));
        }
        for (KeyValue<String, byte[]> kv : TopologyFixture.all(c.resultStore())) {
            assertTrue(kv.value.length <= 4096, "command result of " + kv.value.length + " at " + where(step));
        }
    }

    private static String where(final int step) {
        return "step " + step + " of seed " + Long.toHexString(SEED);
    }
}
