package io.incidentstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.incidentstream.codec.Json;
import io.incidentstream.testkit.RandomAlerts;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link AlertEventJson} writes what Jackson's record serialiser writes with the project's mapper,
 * byte for byte: the reference is the same mapper with the hand-written serialiser switched off.
 */
class AlertEventJsonTest {
    private static final Instant T = Instant.parse("2026-03-01T12:00:00.123Z");

    @JsonSerialize(using = JsonSerializer.None.class)
    @JsonDeserialize(using = JsonDeserializer.None.class)
    private interface Reflective {}

    private static final ObjectMapper REFERENCE = Json.mapper().copy().addMixIn(AlertEvent.class, Reflective.class);

    @Test
    void shouldWriteWhatTheRecordSerialiserWrites() throws Exception {
        final Random random = new Random(20);
        for (int n = 0; n < 2000; n++) {
            final AlertEvent event = random(random, n);
            assertEquals(REFERENCE.writeValueAsString(event), Json.mapper().writeValueAsString(event), "event " + n);
            assertEquals(REFERENCE.valueToTree(event), Json.mapper().valueToTree(event), "tree of event " + n);
        }
    }

    @Test
    void shouldReadWhatTheRecordDeserialiserReads() throws Exception {
        final Random random = new Random(21);
        for (int n = 0; n < 2000; n++) {
            final AlertEvent event = random(random, n);
            final byte[] json = Json.mapper().writeValueAsBytes(event);
            assertEquals(event, Json.mapper().readValue(json, AlertEvent.class), "event " + n);
            assertEquals(
                    REFERENCE.readValue(json, AlertEvent.class), Json.mapper().readValue(json, AlertEvent.class));
        }
    }

    @Test
    void shouldReadOtherSpellingsAsTheMapperDoes() throws Exception {
        final String json = """
                {"future":{"nested":[1,{"x":2}]},"alertId":"a","alertVersion":"7","tenantId":"t",
                 "status":"firing","severity":"HIGH","checkedAt":"2026-03-01T14:00:00+02:00",
                 "validUntil":1772370000,"labels":{"n":5,"b":true},"title":null,"reportData":null}""";
        final AlertEvent expected = REFERENCE.readValue(json, AlertEvent.class);
        assertEquals(expected, Json.mapper().readValue(json, AlertEvent.class));
        assertEquals(Map.of("n", "5", "b", "true"), expected.labels());
    }

    @Test
    void shouldRefuseWhatTheRecordRefuses() {
        for (String json : List.of(
                "{\"alertId\":\"a\",\"tenantId\":\"t\",\"status\":\"FIRING\",\"severity\":\"low\"}",
                "{\"alertId\":\"a\",\"tenantId\":\"t\",\"status\":\"maybe\",\"severity\":\"low\","
                        + "\"checkedAt\":\"2026-03-01T12:00:00Z\",\"validUntil\":\"2026-03-01T12:00:00Z\"}",
                "[1]",
                "{\"alertId\":\"a\"}{}")) {
            assertThrows(DatabindException.class, () -> REFERENCE.readValue(json, AlertEvent.class), json);
            assertThrows(DatabindException.class, () -> Json.mapper().readValue(json, AlertEvent.class), json);
        }
    }

    @Test
    void shouldWriteEventsInsideOtherValuesAlike() throws Exception {
        final List<AlertEvent> events = List.of(random(new Random(1), 1), random(new Random(2), 2));
        assertEquals(REFERENCE.writeValueAsString(events), Json.mapper().writeValueAsString(events));
    }

    /**
     * Every component set, filled by reflection: a component added to {@link AlertEvent} but not to
     * {@link AlertEventJson} makes this fail, whatever the random events above happen to set.
     */
    @Test
    void shouldWriteEveryComponentOfTheRecord() throws Exception {
        final RecordComponent[] components = AlertEvent.class.getRecordComponents();
        final Object[] values = new Object[components.length];
        final Class<?>[] types = new Class<?>[components.length];
        for (int k = 0; k < components.length; k++) {
            types[k] = components[k].getType();
            values[k] = sample(components[k]);
        }
        final AlertEvent event = AlertEvent.class.getDeclaredConstructor(types).newInstance(values);
        final String reference = REFERENCE.writeValueAsString(event);
        for (RecordComponent c : components) {
            assertTrue(reference.contains("\"" + c.getName() + "\":"), "the reference writes " + c.getName());
        }
        assertEquals(reference, Json.mapper().writeValueAsString(event));
    }

    private static Object sample(final RecordComponent c) {
        final Class<?> type = c.getType();
        if (type == String.class) {
            return c.getName() + "-value";
        } else if (type == int.class) {
            return 3;
        } else if (type == Instant.class) {
            return T;
        } else if (type.isEnum()) {
            return type.getEnumConstants()[0];
        } else if (type == JsonNode.class) {
            return JsonNodeFactory.instance.objectNode().put("value", 1);
        } else if (type == Map.class) {
            return Map.of("k", "v");
        }
        throw new AssertionError("no sample value for component " + c.getName() + " of type " + c.getGenericType()
                + ": add one here, and the component to AlertEventJson");
    }

    private static AlertEvent random(final Random r, final int n) {
        return RandomAlerts.event(r, n);
    }
}
