package io.incidentstream.http;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.incidentstream.errors.BadRequestException;
import io.incidentstream.query.ListQueryParser;
import java.util.List;
import java.util.Map;

/**
 * Fuzz target for the raw query string of {@code GET /incidents}: decoding and then parsing it
 * gives a query or a {@link BadRequestException} (400), never a 500.
 */
class QueryStringsFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void parse(final String query) {
        try {
            final Map<String, List<String>> params = QueryStrings.parse(query);
            params.values().forEach(values -> assertFalse(values.isEmpty()));
            ListQueryParser.parse("default", params);
        } catch (BadRequestException expected) {
            // a 400
        }
    }
}
