package io.incidentstream.query;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.incidentstream.errors.BadRequestException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzz target for the {@code GET /incidents} parameter parser: any parameter map is a valid
 * {@link ListQuery} or a {@link BadRequestException} (400). Names are mostly the known ones, so the
 * fuzzer spends its time on values rather than on "unknown parameter".
 */
class ListQueryParserFuzzTest {
    private static final String[] NAMES = {
        "status",
        "severity",
        "alertId",
        "alertTemplateId",
        "source",
        "createdAfter",
        "createdBefore",
        "sort",
        "order",
        "limit",
        "nextToken",
        "includeCount"
    };

    @FuzzTest(maxDuration = "60s")
    void parse(final FuzzedDataProvider data) {
        final Map<String, List<String>> params = new LinkedHashMap<>();
        final int count = data.consumeInt(0, 8);
        for (int i = 0; i < count; i++) {
            final String name = data.consumeBoolean() ? data.pickValue(NAMES) : data.consumeString(16);
            final List<String> values = params.computeIfAbsent(name, k -> new ArrayList<>());
            final int n = data.consumeInt(1, 3);
            for (int j = 0; j < n; j++) {
                values.add(data.consumeString(48));
            }
        }
        try {
            final ListQuery query = ListQueryParser.parse("default", params);
            assertTrue(query.limit() >= 1 && query.limit() <= ListQuery.MAX_LIMIT);
            assertNotNull(query.canonical());
        } catch (BadRequestException expected) {
            assertNotNull(expected.getMessage());
        }
    }
}
