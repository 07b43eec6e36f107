package io.incidentstream.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.errors.BadRequestException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamPositionTest {

    @Test
    void shouldRoundTripAnyOffsetsCompactly() {
        final Random random = new Random(42);
        for (int n = 1; n < 200; n++) {
            final long[] offsets = new long[1 + random.nextInt(64)];
            for (int p = 0; p < offsets.length; p++) {
                offsets[p] = random.nextBoolean() ? random.nextInt(1000) : (random.nextLong() >>> 1);
            }
            final StreamPosition position = StreamPosition.of(offsets);
            assertEquals(position, StreamPosition.parse(position.encode()));
        }
        assertEquals(
                "0.rs.2n9c", StreamPosition.of(new long[] {0, 1000, 123_456}).encode());
    }

    @Test
    void shouldRefuseWhatIsNotAPosition() {
        for (String bad : new String[] {"", ".", "1..2", "1.", "-1", "A", "1 2", "zzzzzzzzzzzzzz", "1,2", "é"}) {
            assertThrows(BadRequestException.class, () -> StreamPosition.parse(bad), bad);
        }
        assertThrows(
                BadRequestException.class,
                () -> StreamPosition.parse("0.".repeat(StreamPosition.MAX_PARTITIONS) + "0"));
        assertThrows(IllegalArgumentException.class, () -> StreamPosition.of(new long[0]));
        assertThrows(IllegalArgumentException.class, () -> StreamPosition.of(new long[] {-1}));
    }

    @Test
    void shouldMoveForwardOnlyAndCompare() {
        final StreamPosition p = StreamPosition.of(new long[] {5, 7});
        assertEquals(StreamPosition.of(new long[] {5, 8}), p.after(1, 7));
        assertSame(p, p.after(0, 3), "an offset already passed leaves it as it is");
        assertTrue(p.notAfter(StreamPosition.of(new long[] {5, 9})));
        assertFalse(p.notAfter(StreamPosition.of(new long[] {4, 9})));
        assertFalse(p.notAfter(StreamPosition.of(new long[] {5, 7, 0})), "another partition count");
    }
}
