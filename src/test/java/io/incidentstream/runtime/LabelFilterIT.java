package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.testkit.ApiClient;
import io.incidentstream.testkit.ApiResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Label filters through the whole path: alerts with labels posted over HTTP, folded on a real broker,
 * listed by matchers as the README shows them; a regex page under a small scan budget followed to
 * its end; and a restart with another {@code INDEXED_LABELS}, which rebuilds the indexes so that the
 * newly indexed label answers from its own ranges.
 */
class LabelFilterIT {
    private static final int ALERTS = 60;

    @TempDir
    Path dir;

    @Test
    void shouldListByLabelMatchersAndKeepAnsweringAfterIndexedLabelsChange() throws Exception {
        final Map<String, String> env = Map.of("LABEL_SCAN_BUDGET", "100");
        try (TestApp app = TestApp.start(dir.resolve("data"), "label-it", env)) {
            final ApiClient api = app.api();
            final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            final List<Map<String, Object>> batch = new ArrayList<>();
            for (int i = 0; i < ALERTS; i++) {
                batch.add(Map.of(
                        "alertId", "disk-" + i,
                        "status", "FIRING",
                        "checkedAt", now.toString(),
                        "validUntil", now.plus(Duration.ofHours(2)).toString(),
                        "labels", labels(i)));
            }
            assertEquals(202, api.post("/alerts", batch).status());
            await().atMost(TestApp.WAIT).until(() -> api.listAll("limit=100").size() == ALERTS);

            assertEquals(ids(i -> i % 5 == 0), alertIds(api, "label=service=checkout"));
            assertEquals(
                    ids(i -> i % 5 == 0 && i % 2 == 0), alertIds(api, "label=service=checkout&label=env!=staging"));
            assertEquals(ids(i -> i % 2 == 0), alertIds(api, "label=env=~prod-.*"));
            assertEquals(ids(i -> i % 3 != 0), alertIds(api, "label=team="), "no team label");
            assertEquals(ids(i -> i % 7 == 1), alertIds(api, "label=rack=r1"), "a label not indexed");

            final JsonNode counted = api.json("/incidents?limit=1&includeCount=true&label=" + enc("service=checkout"));
            assertEquals(ALERTS / 5, counted.get("count").asLong());
            final ApiResponse uncountable = api.get("/incidents?includeCount=true&label=" + enc("env=~prod-.*"));
            assertEquals(400, uncountable.status());
            assertTrue(uncountable.body().contains("includeCount"), uncountable.body());
            final ApiResponse malformed = api.get("/incidents?label=" + enc("service"));
            assertEquals(400, malformed.status());
            assertTrue(malformed.body().contains("service"), malformed.body());
        }

        // rack indexed now: the restart rebuilds the indexes, and rack=r1 counts from its own ranges
        try (TestApp app = TestApp.start(dir.resolve("data"), "label-it", Map.of("INDEXED_LABELS", "service,rack"))) {
            final ApiClient api = app.api();
            assertEquals(ids(i -> i % 7 == 1), alertIds(api, "label=rack=r1"));
            assertEquals(
                    ids(i -> i % 7 == 1).size(),
                    api.json("/incidents?limit=1&includeCount=true&label=" + enc("rack=r1"))
                            .get("count")
                            .asLong());
            assertEquals(
                    400,
                    api.get("/incidents?includeCount=true&label=" + enc("team=team-1"))
                            .status());
        }
    }

    private static Map<String, String> labels(final int i) {
        final TreeMap<String, String> labels = new TreeMap<>();
        labels.put("service", i % 5 == 0 ? "checkout" : "search");
        labels.put("env", i % 2 == 0 ? "prod-eu" : "staging");
        labels.put("rack", "r" + i % 7);
        if (i % 3 == 0) {
            labels.put("team", "team-" + i % 2);
        }
        return labels;
    }

    private static Set<String> ids(final IntPredicate which) {
        final TreeSet<String> ids = new TreeSet<>();
        for (int i = 0; i < ALERTS; i++) {
            if (which.test(i)) {
                ids.add("disk-" + i);
            }
        }
        return ids;
    }

    /** Every page of the list, followed through nextToken (short pages included). */
    private static Set<String> alertIds(final ApiClient api, final String query) throws Exception {
        final StringBuilder encoded = new StringBuilder("limit=7");
        for (String part : query.split("&", -1)) {
            final int eq = part.indexOf('=');
            encoded.append('&').append(part, 0, eq + 1).append(enc(part.substring(eq + 1)));
        }
        final TreeSet<String> ids = new TreeSet<>();
        for (JsonNode incident : api.listAll(encoded.toString())) {
            assertTrue(ids.add(incident.get("alertId").asText()), "listed twice: " + incident);
        }
        return ids;
    }

    private static String enc(final String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
