package io.incidentstream.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
            assertTrue(strictlyEncoded(query), "accepted a malformed percent-encoding: " + query);
            ListQueryParser.parse("default", params);
        } catch (BadRequestException expected) {
            // a 400
        }
    }

    /** Every '%' starts two hex digits (null and empty have none). */
    private static boolean strictlyEncoded(final String query) {
        if (query == null) {
            return true;
        }
        for (int i = query.indexOf('%'); i >= 0; i = query.indexOf('%', i + 1)) {
            if (i + 2 >= query.length()
                    || Character.digit(query.charAt(i + 1), 16) < 0
                    || Character.digit(query.charAt(i + 2), 16) < 0) {
                return false;
            }
            i += 2;
        }
        return true;
    }
}
