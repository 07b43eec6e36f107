package io.incidentstream.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.incidentstream.codec.Json;
import io.incidentstream.model.AlertEvent;
import io.incidentstream.testkit.RandomAlerts;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AlertEventSerdeTest {
    private static final String TOPIC = "app-alerts-rekey-repartition";

    @Test
    void shouldReadBackEveryEventItWritesAsTheJsonFormReadItBack() throws Exception {
        final Random random = new Random(30);
        for (int n = 0; n < 2000; n++) {
            final AlertEvent event = RandomAlerts.event(random, n);
            final byte[] bytes = AlertEventSerde.serializer().serialize(TOPIC, event);
            final AlertEvent read = AlertEventSerde.deserializer().deserialize(TOPIC, bytes);
            assertEquals(event, read);
            // and written on as JSON byte for byte as the JSON form's read-back (labels in the same order)
            final AlertEvent viaJson =
                    Json.mapper().readValue(Json.mapper().writeValueAsBytes(event), AlertEvent.class);
            assertEquals(json(viaJson), json(read));
        }
    }

    @Test
    void shouldStillReadEventsEarlierVersionsWroteAsJson() throws Exception {
        final Random random = new Random(31);
        for (int n = 0; n < 200; n++) {
            final AlertEvent event = RandomAlerts.event(random, n);
            assertEquals(
                    event,
                    AlertEventSerde.deserializer()
                            .deserialize(TOPIC, Json.mapper().writeValueAsBytes(event)));
        }
    }

    @Test
    void shouldWriteTheSameBytesForTheSameEvent() {
        final AlertEvent event = RandomAlerts.event(new Random(32), 1);
        assertArrayEquals(AlertEventSerde.write(event), AlertEventSerde.write(event));
        assertEquals(AlertEventSerde.VERSION, AlertEventSerde.write(event)[0]);
    }

    @Test
    void shouldRefuseBytesThatAreNotAnEventAsASerializationError() {
        final byte[] bytes = AlertEventSerde.write(RandomAlerts.event(new Random(33), 1));
        final byte[] truncated = Arrays.copyOf(bytes, bytes.length / 2);
        final byte[] otherVersion = bytes.clone();
        otherVersion[0] = 9;
        assertThrows(
                SerializationException.class,
                () -> AlertEventSerde.deserializer().deserialize(TOPIC, truncated));
        assertThrows(
                SerializationException.class,
                () -> AlertEventSerde.deserializer().deserialize(TOPIC, otherVersion));
        assertThrows(
                RuntimeException.class,
                () -> AlertEventSerde.deserializer().deserialize(TOPIC, "{no".getBytes(StandardCharsets.UTF_8)));
    }

    private static String json(final AlertEvent event) {
        try {
            return Json.mapper().writeValueAsString(event);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
