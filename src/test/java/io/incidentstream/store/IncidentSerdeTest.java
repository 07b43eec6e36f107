package io.incidentstream.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.incidentstream.codec.JsonSerde;
import io.incidentstream.model.Incident;
import io.incidentstream.model.MemberAlert;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Source;
import io.incidentstream.model.Status;
import io.incidentstream.model.TimelineEntry;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class IncidentSerdeTest {
    private static final Instant T = Instant.parse("2026-03-01T12:00:00.123Z");
    private final Serde<Incident> serde = IncidentSerde.serde();

    private static Incident full() {
        final ObjectNode data =
                JsonNodeFactory.instance.objectNode().put("value", 97.5).put("unit", "%");
        data.putArray("hosts").add("a").add("ü");
        return new Incident.Builder()
                .id("incident.3.k1")
                .tenantId("acme")
                .alertId("cpu/high")
                .alertVersion(7)
                .alertTemplateId("tpl-1")
                .status(Status.ACKNOWLEDGED)
                .severity(Severity.CRITICAL)
                .title("CPU at 97% — höst")
                .description("multi\nline")
                .source(Source.AUTOMATED)
                .createdAt(T)
                .updatedAt(T.plusSeconds(5))
                .lastCheckedAt(T.plusSeconds(9))
                .validUntil(T.plusSeconds(300))
                .acknowledgedAt(Instant.parse("2026-03-01T12:00:05.123456789Z"))
                .resolvedAt(null)
                .assignee("alice")
                .alertCount(42)
                .reportData(data)
                .labels(Map.of("team", "ops", "region", "eu-1"))
                .timeline(List.of(
                        new TimelineEntry(T, null, Status.ACTIVE, TimelineEntry.SOURCE_ALERT, null, null),
                        new TimelineEntry(
                                T.plusSeconds(5),
                                Status.ACTIVE,
                                Status.ACKNOWLEDGED,
                                TimelineEntry.SOURCE_API,
                                "alice",
                                "on it")))
                .build();
    }

    @Test
    void shouldRoundTripEveryFieldExactly() {
        final Incident incident = full();
        assertEquals(
                incident,
                serde.deserializer().deserialize("t", serde.serializer().serialize("t", incident)));
    }

    @Test
    void shouldRoundTripAManualIncidentWithOnlyTheRequiredFields() {
        final Incident manual = new Incident.Builder()
                .id("incident.0.1")
                .tenantId("default")
                .status(Status.ACTIVE)
                .source(Source.MANUAL)
                .title("x")
                .createdAt(T)
                .updatedAt(T)
                .build();
        final Incident back =
                serde.deserializer().deserialize("t", serde.serializer().serialize("t", manual));
        assertEquals(manual, back);
        assertNull(back.reportData());
        assertNull(back.validUntil());
    }

    @Test
    void shouldBeSmallerThanJson() {
        final Incident incident = full();
        final int binary = serde.serializer().serialize("t", incident).length;
        final int json = JsonSerde.of(Incident.class).serializer().serialize("t", incident).length;
        assertTrue(binary < json, binary + " bytes vs JSON " + json);
    }

    @Test
    void shouldStillReadIncidentsStoredAsJsonByEarlierVersions() {
        final Incident incident = full();
        final byte[] legacy = JsonSerde.of(Incident.class).serializer().serialize("t", incident);
        assertEquals(incident, serde.deserializer().deserialize("t", legacy));
    }

    /**
     * Version 1 as the first implementation (DataOutputStream) wrote it, byte for byte: state
     * directories and changelogs written by it must read back, and new writes must not change the format.
     */
    @Test
    void shouldKeepVersionOneByteForByte() {
        final Incident incident = new Incident.Builder()
                .id("incident.3.k1")
                .tenantId("acme")
                .alertId("cpu/high")
                .alertVersion(7)
                .alertTemplateId("tpl-1")
                .status(Status.ACKNOWLEDGED)
                .severity(Severity.CRITICAL)
                .title("CPU at 97% — höst")
                .source(Source.AUTOMATED)
                .createdAt(T)
                .updatedAt(T.plusSeconds(5))
                .lastCheckedAt(T.plusSeconds(9))
                .validUntil(T.plusSeconds(300))
                .acknowledgedAt(Instant.parse("2026-03-01T12:00:05.123456789Z"))
                .assignee("alice")
                .alertCount(42)
                .reportData(JsonNodeFactory.instance.objectNode().put("value", 97.5))
                .labels(Map.of("team", "ops"))
                .timeline(List.of(new TimelineEntry(T, null, Status.ACTIVE, TimelineEntry.SOURCE_ALERT, null, null)))
                .build();
        final byte[] written = HexFormat.of()
                .parseHex(
                        "010000000d696e636964656e742e332e6b310000000461636d65000000086370752f68696768000000070000000574706c2d310100000000144350552061742039372520e280942068c3b67374ffffffff000000000069a42a400754d4c00000000069a42a450754d4c00000000069a42a490754d4c00000000069a42b6c0754d4c00000000069a42a45075bcd15800000000000000000000005616c696365000000000000002a010000000e7b2276616c7565223a39372e357d00000001000000047465616d000000036f7073000000010000000069a42a400754d4c0ff0000000005616c657274ffffffffffffffff");
        assertEquals(
                "010000000d696e636964656e742e332e6b310000000461636d65000000086370752f68696768000000070000000574706c2d310100000000144350552061742039372520e280942068c3b67374ffffffff000000000069a42a400754d4c00000000069a42a450754d4c00000000069a42a490754d4c00000000069a42b6c0754d4c00000000069a42a45075bcd15800000000000000000000005616c696365000000000000002a010000000e7b2276616c7565223a39372e357d00000001000000047465616d000000036f7073000000010000000069a42a400754d4c0ff0000000005616c657274ffffffffffffffff",
                HexFormat.of().formatHex(serde.serializer().serialize("t", incident)));
        assertEquals(incident, serde.deserializer().deserialize("t", written));
    }

    @Test
    void shouldRoundTripTheCountOfDroppedTimelineEntries() {
        final Incident incident = full().toBuilder().timelineDropped(12).build();
        final byte[] bytes = serde.serializer().serialize("t", incident);
        assertEquals(12, serde.deserializer().deserialize("t", bytes).timelineDropped());
        final byte[] withoutCount = serde.serializer().serialize("t", full());
        assertEquals(withoutCount.length + Long.BYTES, bytes.length, "8 trailing bytes, only when not 0");
        // a reader that predates the count stops after the timeline: the prefix is the same incident
        assertEquals(
                HexFormat.of().formatHex(withoutCount),
                HexFormat.of().formatHex(java.util.Arrays.copyOf(bytes, withoutCount.length)));
    }

    @Test
    void shouldRefuseAnUnknownFormatVersion() {
        final byte[] bytes = serde.serializer().serialize("t", full());
        bytes[0] = 9;
        assertThrows(IllegalStateException.class, () -> serde.deserializer().deserialize("t", bytes));
    }

    @Test
    void shouldPassNullThrough() {
        assertNull(serde.serializer().serialize("t", null));
        assertNull(serde.deserializer().deserialize("t", null));
    }

    @Test
    void shouldRoundTripAGroupedIncidentWithItsMembers() {
        final java.time.Instant t = java.time.Instant.parse("2026-01-01T00:00:00Z");
        final io.incidentstream.model.Incident plain = new io.incidentstream.model.Incident.Builder()
                .id("incident.0.1")
                .tenantId("acme")
                .alertId("a")
                .status(io.incidentstream.model.Status.ACTIVE)
                .severity(io.incidentstream.model.Severity.HIGH)
                .source(io.incidentstream.model.Source.AUTOMATED)
                .createdAt(t)
                .updatedAt(t)
                .build();
        final io.incidentstream.model.Incident grouped = plain.toBuilder()
                .groupKey("acme/r/{host=\"h\"}")
                .groupLabels(java.util.Map.of("host", "h"))
                .ruleId("r")
                .memberCount(3L)
                .lastJoinedAt(t)
                .alerts(java.util.List.of(new io.incidentstream.model.MemberAlert(
                        "a",
                        io.incidentstream.model.MemberAlert.State.FIRING,
                        io.incidentstream.model.Severity.HIGH,
                        java.util.Map.of("host", "h"),
                        t,
                        t,
                        t.plusSeconds(60),
                        "r")))
                .build();
        assertEquals(grouped, IncidentSerde.read(IncidentSerde.write(grouped)));
        assertEquals(plain, IncidentSerde.read(IncidentSerde.write(plain)));

        final io.incidentstream.model.Incident resolvedMember = grouped.toBuilder()
                .alerts(java.util.List.of(
                        grouped.alerts().get(0).with(io.incidentstream.model.MemberAlert.State.RESOLVED)))
                .memberCount(null)
                .lastJoinedAt(null)
                .build();
        assertEquals(resolvedMember, IncidentSerde.read(IncidentSerde.write(resolvedMember)));

        // As the first grouped incidents were stored: the grouping fields as one JSON block.
        final byte[] head = IncidentSerde.write(plain);
        final byte[] json;
        try {
            json = io.incidentstream.codec.Json.mapper().writeValueAsBytes(IncidentSerde.GroupFields.of(grouped));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        final java.nio.ByteBuffer legacy =
                java.nio.ByteBuffer.allocate(head.length + Long.BYTES + Integer.BYTES + json.length);
        legacy.put(head).putLong(0).putInt(json.length).put(json);
        assertEquals(grouped, IncidentSerde.read(legacy.array()), "a JSON group block is still read");
        assertTrue(
                IncidentSerde.write(grouped).length < legacy.array().length,
                "the binary group block is smaller than the JSON one");
    }

    /** List pages read incidents without timeline and members: what they show is exactly {@code withoutTimeline()}. */
    @Test
    void shouldReadListedIncidentsAsListPagesShowThem() {
        final Incident plain = full().toBuilder().timelineDropped(3).build();
        final Incident grouped = plain.toBuilder()
                .groupKey("acme/r/{host=\"h\"}")
                .groupLabels(Map.of("host", "h"))
                .ruleId("r")
                .memberCount(2L)
                .lastJoinedAt(T)
                .alerts(List.of(
                        new MemberAlert(
                                "a", MemberAlert.State.FIRING, Severity.HIGH, Map.of("host", "h"), T, T, T, "r"),
                        new MemberAlert("b", MemberAlert.State.RESOLVED, Severity.LOW, Map.of(), T, T, T, "r")))
                .build();
        for (Incident incident : List.of(full(), plain, grouped)) {
            final byte[] bytes = serde.serializer().serialize("t", incident);
            final byte[] legacy = JsonSerde.of(Incident.class).serializer().serialize("t", incident);
            assertEquals(
                    incident.withoutTimeline(),
                    IncidentSerde.listed(() -> serde.deserializer().deserialize("t", bytes)));
            assertEquals(
                    incident.withoutTimeline(),
                    IncidentSerde.listed(() -> serde.deserializer().deserialize("t", legacy)));
            // outside listed(), and after it, reads are whole again
            assertEquals(incident, serde.deserializer().deserialize("t", bytes));
        }
        assertEquals(
                2L,
                IncidentSerde.listed(() -> serde.deserializer().deserialize("t", IncidentSerde.write(grouped)))
                        .memberCount());
        // a timeline cut short (its last note) is an error when stepped over too, not a shorter incident
        final byte[] whole = IncidentSerde.write(full());
        final byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 3);
        assertThrows(IllegalStateException.class, () -> IncidentSerde.read(cut, true));
    }
}
