package io.incidentstream.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.errors.BadRequestException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SummaryQueryTest {

    @Test
    void shouldTakeSevenDaysWhenNoWindowIsGiven() {
        assertEquals(Duration.ofDays(7), SummaryQuery.parse("acme", Map.of()).window());
        assertEquals(
                Duration.ofHours(12),
                SummaryQuery.parse("acme", Map.of("window", List.of("PT12H"))).window());
        assertEquals(
                Duration.ofDays(30),
                SummaryQuery.parse("acme", Map.of("window", List.of("P30D"))).window());
    }

    @ParameterizedTest
    @ValueSource(strings = {"P31D", "PT59S", "-P1D", "7d", ""})
    void shouldRefuseAWindowOutsideItsBounds(final String window) {
        final BadRequestException e = assertThrows(
                BadRequestException.class, () -> SummaryQuery.parse("acme", Map.of("window", List.of(window))));
        assertTrue(e.getMessage().contains("window"), e.getMessage());
    }

    @Test
    void shouldRefuseUnknownAndRepeatedParameters() {
        assertThrows(BadRequestException.class, () -> SummaryQuery.parse("acme", Map.of("status", List.of("ACTIVE"))));
        assertThrows(
                BadRequestException.class, () -> SummaryQuery.parse("acme", Map.of("window", List.of("P1D", "P2D"))));
    }
}
