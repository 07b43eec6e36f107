package io.incidentstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.incidentstream.codec.Json;
import io.incidentstream.store.IncidentSerde;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The size bounds of incidents: what the records cut, and that the sum of the bounds fits the maximum. */
class BoundsTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00.123456789Z");
    /** The character that costs most as JSON: six bytes, one UTF-16 unit. */
    private static final String WORST = "\u0001";

    private static int json(final Object value) throws JsonProcessingException {
        return Json.mapper().writeValueAsBytes(value).length;
    }

    private static Incident.Builder incident() {
        return new Incident.Builder()
                .id("incident.0.1")
                .tenantId("acme")
                .alertId("cpu")
                .status(Status.ACTIVE)
                .createdAt(T)
                .updatedAt(T);
    }

    private static TimelineEntry note(final String note) {
        return new TimelineEntry(T, Status.ACTIVE, Status.ACTIVE, TimelineEntry.SOURCE_API, "alice", note);
    }

    /** Every field at its bound, written with the costliest characters the bound lets through. */
    @Test
    void shouldKeepTheWorstCaseIncidentUnderTheMaximumInEveryForm() throws JsonProcessingException {
        final Incident worst = worstIncident().build();
        assertEquals(Bounds.MAX_LABELS, worst.labels().size(), "the labels fit their own bound");
        assertTrue(json(worst.timeline()) <= Bounds.MAX_TIMELINE_BYTES, "timeline " + json(worst.timeline()));
        final int asJson = json(worst);
        final int stored = IncidentSerde.serde().serializer().serialize("t", worst).length;
        assertTrue(asJson <= Bounds.MAX_INCIDENT_BYTES, asJson + " bytes as JSON");
        assertTrue(stored <= Bounds.MAX_INCIDENT_BYTES, stored + " bytes in the store");
        assertTrue(asJson > Bounds.MAX_INCIDENT_BYTES * 0.8, "the case is near the bound, so it tests it: " + asJson);
    }

    /**
     * The worst incident with the worst group on top: more members than listed, each with the longest
     * id, labels over its own bound, the longest rule id; the longest group key and group labels.
     */
    @Test
    void shouldKeepTheWorstCaseGroupedIncidentUnderTheGroupedMaximum() throws JsonProcessingException {
        final Map<String, String> memberLabels = new HashMap<>();
        for (int i = 0; memberLabels.size() < Bounds.MAX_LABELS; i++) {
            memberLabels.put(String.format("%03d", i), WORST.repeat(40));
        }
        final List<MemberAlert> members = new ArrayList<>();
        for (int i = 0; i < Bounds.MAX_MEMBERS + 50; i++) {
            members.add(new MemberAlert(
                    WORST.repeat(Bounds.MAX_ID_CHARS - 4) + String.format("%04d", i),
                    MemberAlert.State.FIRING,
                    Severity.CRITICAL,
                    memberLabels,
                    T,
                    T,
                    T,
                    "r".repeat(64)));
        }
        final Map<String, String> groupLabels = new HashMap<>();
        for (int i = 0; i < Bounds.MAX_LABELS; i++) {
            groupLabels.put(String.format("%03d", i), WORST.repeat(100));
        }
        final Incident worst = worstIncident()
                .groupKey(WORST.repeat(Bounds.MAX_GROUP_KEY_CHARS))
                .groupLabels(groupLabels)
                .ruleId("r".repeat(64))
                .memberCount(Long.MAX_VALUE)
                .lastJoinedAt(T)
                .alerts(members)
                .build();
        assertTrue(
                worst.alerts().size() <= Bounds.MAX_MEMBERS,
                "members listed: " + worst.alerts().size());
        assertTrue(json(worst.alerts()) <= Bounds.MAX_MEMBERS_BYTES, "members " + json(worst.alerts()));
        final int asJson = json(worst);
        final int stored = IncidentSerde.serde().serializer().serialize("t", worst).length;
        assertTrue(asJson <= Bounds.MAX_GROUPED_INCIDENT_BYTES, asJson + " bytes as JSON");
        assertTrue(stored <= Bounds.MAX_GROUPED_INCIDENT_BYTES, stored + " bytes in the store");
        assertTrue(
                asJson > Bounds.MAX_GROUPED_INCIDENT_BYTES * 0.8,
                "the case is near the bound, so it tests it: " + asJson + " of " + Bounds.MAX_GROUPED_INCIDENT_BYTES);
    }

    /** Every field of an incident of one alert at its bound, written with the costliest characters the bound lets through. */
    private static Incident.Builder worstIncident() {
        final Map<String, String> labels = new HashMap<>();
        for (int i = 0; labels.size() < Bounds.MAX_LABELS; i++) {
            labels.put(String.format("%03d", i), WORST.repeat(40));
        }
        final ObjectNode report = JsonNodeFactory.instance.objectNode();
        report.put("blob", WORST.repeat(Bounds.MAX_REPORT_DATA_BYTES / 6 - 20));
        // the most bytes in entries: each with the longest actor and a note that shares the rest of the budget
        final List<TimelineEntry> timeline = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            timeline.add(new TimelineEntry(
                    T,
                    Status.ACKNOWLEDGED,
                    Status.ACKNOWLEDGED,
                    TimelineEntry.SOURCE_RETENTION,
                    WORST.repeat(Bounds.MAX_ACTOR_CHARS),
                    WORST.repeat(50)));
        }
        return incident()
                .tenantId("t".repeat(Bounds.MAX_TENANT_CHARS))
                .alertId(WORST.repeat(Bounds.MAX_ID_CHARS))
                .alertTemplateId(WORST.repeat(Bounds.MAX_ID_CHARS))
                .alertVersion(Integer.MAX_VALUE)
                .alertCount(Long.MAX_VALUE)
                .status(Status.ACKNOWLEDGED)
                .severity(Severity.CRITICAL)
                .source(Source.AUTOMATED)
                .title(WORST.repeat(Bounds.MAX_TITLE_CHARS))
                .description(WORST.repeat(Bounds.MAX_TEXT_BYTES / 6))
                .assignee(WORST.repeat(Bounds.MAX_ASSIGNEE_CHARS))
                .lastCheckedAt(T)
                .validUntil(T)
                .acknowledgedAt(T)
                .resolvedAt(T)
                .reportData(report)
                .labels(labels)
                .timeline(timeline)
                .timelineDropped(Long.MAX_VALUE / 2);
    }

    @Test
    void shouldDropTheOldestEntriesWhenLargeNotesFillTheTimelineBytes() throws JsonProcessingException {
        Incident i = incident().addTransition(note(null)).build();
        for (int n = 1; n <= 6; n++) {
            i = i.toBuilder()
                    .addTransition(note(n + "€".repeat(Bounds.MAX_TEXT_CHARS - 1)))
                    .build();
            assertTrue(json(i.timeline()) <= Bounds.MAX_TIMELINE_BYTES, "timeline after note " + n);
            assertTrue(i.timeline().get(i.timeline().size() - 1).note().startsWith(n + "€"), "keeps the newest");
            assertEquals(n + 1, i.timeline().size() + i.timelineDropped(), "every entry kept or counted");
        }
        assertEquals(1, i.timeline().size(), "a 48 KiB note leaves room for no other of its size");
        assertEquals(6, i.timelineDropped());
    }

    @Test
    void shouldDropTheOldestEntriesBeyondTheEntryLimitAndCountThem() {
        Incident i = incident().build();
        for (int n = 0; n < Bounds.MAX_TIMELINE_ENTRIES + 7; n++) {
            i = i.toBuilder().addTransition(note("n" + n)).build();
        }
        assertEquals(Bounds.MAX_TIMELINE_ENTRIES, i.timeline().size());
        assertEquals(7, i.timelineDropped());
        assertEquals("n7", i.timeline().get(0).note());
    }

    @Test
    void shouldLeaveAnIncidentWithinItsBoundsUnchanged() {
        final Incident i = incident()
                .title("t".repeat(Bounds.MAX_TITLE_CHARS))
                .description("€".repeat(Bounds.MAX_TEXT_CHARS))
                .labels(Map.of("team", "ops"))
                .addTransition(note("€".repeat(Bounds.MAX_TEXT_CHARS)))
                .build();
        assertEquals(i, i.toBuilder().build());
        assertEquals("€".repeat(Bounds.MAX_TEXT_CHARS), i.description());
        assertEquals("€".repeat(Bounds.MAX_TEXT_CHARS), i.timeline().get(0).note());
        assertEquals(0, i.timelineDropped());
    }

    @Test
    void shouldCutTextsOverTheirBoundMarkingTheCut() {
        final Incident i = incident()
                .title("t".repeat(5000))
                .description(WORST.repeat(Bounds.MAX_TEXT_CHARS))
                .assignee("a".repeat(2000))
                .build();
        assertEquals(Bounds.MAX_TITLE_CHARS, i.title().length());
        assertTrue(i.title().endsWith("…"));
        assertTrue(JsonSize.ofText(i.description()) <= Bounds.MAX_TEXT_BYTES);
        assertTrue(JsonSize.ofText(i.description()) > Bounds.MAX_TEXT_BYTES - 10, "cut at the bound, not before");
        assertTrue(i.description().endsWith("…"));
        assertEquals(Bounds.MAX_ASSIGNEE_CHARS, i.assignee().length());
    }

    @Test
    void shouldNeverSplitASurrogatePairWhenCutting() {
        final String cut = Bounds.cut("x" + "\ud834\udd1e".repeat(10), 6);
        assertEquals("x\ud834\udd1e\ud834\udd1e…", cut);
    }

    @Test
    void shouldCutTimelineNotesAndActorsOverTheirBound() {
        final TimelineEntry e = new TimelineEntry(
                T, null, Status.ACTIVE, "api", "s".repeat(1000), "n".repeat(Bounds.MAX_TEXT_CHARS + 1));
        assertEquals(Bounds.MAX_ACTOR_CHARS, e.actor().length());
        assertEquals(Bounds.MAX_TEXT_CHARS, e.note().length());
    }

    @Test
    void shouldLeaveOutLabelsThatDoNotFitAndReplaceAnOversizedReportData() {
        final Map<String, String> labels = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            labels.put("k" + String.format("%03d", i), "v".repeat(1000));
        }
        labels.put("x".repeat(200), "too long a name");
        final ObjectNode report = JsonNodeFactory.instance.objectNode();
        report.put("blob", "b".repeat(Bounds.MAX_REPORT_DATA_BYTES));
        final Incident i = incident().labels(labels).reportData(report).build();
        assertNull(Bounds.labelsViolation(i.labels()));
        assertEquals(16, i.labels().size(), "in name order, those that fit 16 KiB");
        assertTrue(i.labels().containsKey("k000"));
        assertTrue(i.reportData().get("dropped").textValue().startsWith("reportData is "));
    }

    @Test
    void shouldNameTheFieldOfACommandOverItsBound() {
        assertEquals("title is longer than 1024 characters", Bounds.commandViolation(update("t".repeat(1025), null)));
        assertEquals(
                "note is larger than 49152 bytes as JSON (UTF-8; a control character counts 6)",
                Bounds.commandViolation(update(null, "€".repeat(Bounds.MAX_TEXT_CHARS - 1) + WORST)));
        assertNull(Bounds.commandViolation(update("t".repeat(1024), "€".repeat(Bounds.MAX_TEXT_CHARS))));
    }

    @Test
    void shouldRefuseIdentitiesOverTheirBoundWhereTheyAreMade() {
        final IllegalArgumentException command = assertThrows(
                IllegalArgumentException.class,
                () -> new IncidentCommand(
                        "c".repeat(257),
                        IncidentCommand.Kind.DELETE,
                        "acme",
                        "incident.0.1",
                        null,
                        T,
                        null,
                        null,
                        null,
                        null,
                        false,
                        null,
                        null,
                        null));
        assertEquals("commandId is longer than 256 characters", command.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new AlertEvent(
                        "a".repeat(257),
                        1,
                        null,
                        "acme",
                        AlertStatus.FIRING,
                        Severity.LOW,
                        null,
                        null,
                        T,
                        T,
                        null,
                        null,
                        null));
    }

    private static IncidentCommand update(final String title, final String note) {
        return new IncidentCommand(
                "c1",
                IncidentCommand.Kind.UPDATE,
                "acme",
                "incident.0.1",
                "alice",
                T,
                title,
                null,
                null,
                null,
                false,
                null,
                null,
                note);
    }
}
