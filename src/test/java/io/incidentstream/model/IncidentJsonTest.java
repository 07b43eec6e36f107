package io.incidentstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.incidentstream.codec.Json;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link IncidentJson} writes what Jackson's record serialiser writes with the project's mapper, byte
 * for byte: the reference is the same mapper with the hand-written serialiser switched off.
 */
class IncidentJsonTest {
    private static final Instant T = Instant.parse("2026-03-01T12:00:00.123Z");

    @JsonSerialize(using = JsonSerializer.None.class)
    private interface Reflective {}

    private static final ObjectMapper REFERENCE = Json.mapper().copy().addMixIn(Incident.class, Reflective.class);

    @Test
    void shouldWriteWhatTheRecordSerialiserWrites() throws Exception {
        final Random random = new Random(20);
        for (int n = 0; n < 2000; n++) {
            final Incident incident = random(random, n);
            assertEquals(
                    REFERENCE.writeValueAsString(incident),
                    Json.mapper().writeValueAsString(incident),
                    "incident " + n);
            assertEquals(REFERENCE.valueToTree(incident), Json.mapper().valueToTree(incident), "tree of incident " + n);
        }
    }

    @Test
    void shouldWriteIncidentsInsideOtherValuesAlike() throws Exception {
        final Incident incident = random(new Random(1), 3);
        final IncidentEvent event = IncidentEvent.of(
                incident, "opened", new TimelineEntry(T, null, Status.ACTIVE, TimelineEntry.SOURCE_ALERT, null, null));
        assertEquals(REFERENCE.writeValueAsString(event), Json.mapper().writeValueAsString(event));
        assertEquals(
                REFERENCE.writeValueAsString(List.of(incident, incident.withoutTimeline())),
                Json.mapper().writeValueAsString(List.of(incident, incident.withoutTimeline())));
    }

    /**
     * Every component set, filled by reflection: a component added to {@link Incident} but not to
     * {@link IncidentJson} makes this fail, whatever the random incidents above happen to set.
     */
    @Test
    void shouldWriteEveryComponentOfTheRecord() throws Exception {
        final RecordComponent[] components = Incident.class.getRecordComponents();
        final Object[] values = new Object[components.length];
        final Class<?>[] types = new Class<?>[components.length];
        for (int k = 0; k < components.length; k++) {
            types[k] = components[k].getType();
            values[k] = sample(components[k]);
        }
        final Incident incident = Incident.class.getDeclaredConstructor(types).newInstance(values);
        final String reference = REFERENCE.writeValueAsString(incident);
        for (RecordComponent c : components) {
            assertTrue(reference.contains("\"" + c.getName() + "\":"), "the reference writes " + c.getName());
        }
        assertEquals(reference, Json.mapper().writeValueAsString(incident));
    }

    private static Object sample(final RecordComponent c) {
        final Class<?> type = c.getType();
        if (type == String.class) {
            return c.getName() + "-value";
        } else if (type == int.class || type == Integer.class) {
            return 3;
        } else if (type == long.class || type == Long.class) {
            return 7L;
        } else if (type == Instant.class) {
            return T;
        } else if (type.isEnum()) {
            return type.getEnumConstants()[0];
        } else if (type == JsonNode.class) {
            return JsonNodeFactory.instance.objectNode().put("value", 1);
        } else if (type == Map.class) {
            return Map.of("k", "v");
        } else if (type == List.class) {
            final Type element = ((ParameterizedType) c.getGenericType()).getActualTypeArguments()[0];
            if (element == TimelineEntry.class) {
                return List.of(
                        new TimelineEntry(T, Status.ACTIVE, Status.RESOLVED, TimelineEntry.SOURCE_API, "bob", "n"));
            } else if (element == MemberAlert.class) {
                return List.of(new MemberAlert(
                        "m1", MemberAlert.State.FIRING, Severity.HIGH, Map.of("k", "v"), T, T, T, "rule-1"));
            }
        }
        throw new AssertionError("no sample value for component " + c.getName() + " of type " + c.getGenericType()
                + ": add one here, and the component to IncidentJson");
    }

    private static Incident random(final Random r, final int n) {
        final Incident.Builder b = new Incident.Builder()
                .id("incident." + r.nextInt(6) + "." + n)
                .tenantId(r.nextBoolean() ? "acme" : "t-\"quoted\"")
                .status(pick(r, Status.values()))
                .createdAt(time(r))
                .updatedAt(time(r))
                .alertVersion(r.nextInt(100) - 1)
                .alertCount(r.nextInt(3) == 0 ? 0 : r.nextLong());
        if (r.nextBoolean()) {
            b.alertId("cpu/high-" + n);
        }
        if (r.nextBoolean()) {
            b.alertTemplateId("tpl-ü");
        }
        if (r.nextInt(4) > 0) {
            b.severity(pick(r, Severity.values()));
        }
        if (r.nextBoolean()) {
            b.title("CPU at 97% — höst\n\t\u0001");
        }
        if (r.nextBoolean()) {
            b.description("multi\nline");
        }
        if (r.nextInt(4) > 0) {
            b.source(pick(r, Source.values()));
        }
        b.lastCheckedAt(maybeTime(r)).validUntil(maybeTime(r)).acknowledgedAt(maybeTime(r));
        b.resolvedAt(maybeTime(r)).lastJoinedAt(maybeTime(r));
        if (r.nextBoolean()) {
            b.assignee("alice");
        }
        switch (r.nextInt(4)) {
            case 0 -> b.reportData(null);
            case 1 -> b.reportData(JsonNodeFactory.instance.nullNode());
            case 2 -> b.reportData(JsonNodeFactory.instance.textNode("x"));
            default -> {
                final ObjectNode data =
                        JsonNodeFactory.instance.objectNode().put("value", 97.5).put("unit", "%");
                data.putArray("hosts").add("a").add("ü");
                data.putNull("none");
                b.reportData(data);
            }
        }
        b.labels(r.nextInt(3) == 0 ? null : labels(r));
        final List<TimelineEntry> timeline = new ArrayList<>();
        for (int k = r.nextInt(4); k > 0; k--) {
            timeline.add(new TimelineEntry(
                    maybeTime(r),
                    r.nextBoolean() ? null : Status.ACTIVE,
                    r.nextBoolean() ? null : Status.RESOLVED,
                    r.nextBoolean() ? null : TimelineEntry.SOURCE_API,
                    r.nextBoolean() ? null : "bob",
                    r.nextBoolean() ? null : "a \"note\""));
        }
        b.timeline(r.nextInt(5) == 0 ? null : timeline);
        b.timelineDropped(r.nextInt(3) == 0 ? r.nextInt(10) : 0);
        if (r.nextInt(3) == 0) {
            b.groupKey("|g|" + n).groupLabels(labels(r)).ruleId("rule-1");
            b.memberCount(r.nextBoolean() ? null : (long) r.nextInt(1000));
            b.alerts(
                    r.nextBoolean()
                            ? null
                            : List.of(new MemberAlert(
                                    "m1",
                                    MemberAlert.State.FIRING,
                                    r.nextBoolean() ? null : Severity.HIGH,
                                    labels(r),
                                    time(r),
                                    maybeTime(r),
                                    maybeTime(r),
                                    r.nextBoolean() ? null : "rule-1")));
        }
        return b.build();
    }

    private static <T> T pick(final Random r, final T[] values) {
        return values[r.nextInt(values.length)];
    }

    private static Map<String, String> labels(final Random r) {
        final Map<String, String> labels = new LinkedHashMap<>();
        for (int k = r.nextInt(4); k > 0; k--) {
            labels.put("k" + r.nextInt(100), "v\"" + r.nextInt(100));
        }
        return labels;
    }

    private static Instant maybeTime(final Random r) {
        return r.nextBoolean() ? null : time(r);
    }

    private static Instant time(final Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> T.plusSeconds(r.nextInt(100_000));
            case 1 -> T.plusNanos(r.nextInt(1_000_000_000));
            default -> T.plusMillis(r.nextInt(100_000)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        };
    }
}
