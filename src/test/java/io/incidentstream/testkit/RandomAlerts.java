package io.incidentstream.testkit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.AlertStatus;
import io.incidentstream.model.Severity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Random but reproducible {@link AlertEvent}s, for the tests of their serialisers. */
public final class RandomAlerts {
    private static final Instant T = Instant.parse("2026-03-01T12:00:00.123Z");

    private RandomAlerts() {}

    /** Event number {@code n}: every optional component sometimes null, texts with quotes, escapes and non-ASCII. */
    public static AlertEvent event(final Random r, final int n) {
        final ObjectNode data =
                JsonNodeFactory.instance.objectNode().put("value", 97.5).put("unit", "%");
        data.putArray("hosts").add("a").add("ü");
        data.putNull("none");
        final Map<String, String> labels = new LinkedHashMap<>();
        for (int k = r.nextInt(4); k > 0; k--) {
            labels.put("k\"" + r.nextInt(100), "v\"ü" + r.nextInt(100));
        }
        return new AlertEvent(
                "cpu/high-" + n,
                r.nextInt(100) + 1,
                r.nextBoolean() ? null : "tpl-ü",
                r.nextBoolean() ? "acme" : "t-\"quoted\"",
                pick(r, AlertStatus.values()),
                pick(r, Severity.values()),
                r.nextBoolean() ? null : "CPU at 97% — höst\n\t\u0001",
                r.nextBoolean() ? null : "multi\nline",
                T.plusMillis(r.nextInt(1_000_000)),
                T.plusSeconds(r.nextInt(1_000_000)),
                r.nextBoolean() ? null : data,
                r.nextInt(3) == 0 ? null : labels,
                r.nextBoolean() ? null : "event-" + n);
    }

    private static <T> T pick(final Random r, final T[] values) {
        return values[r.nextInt(values.length)];
    }
}
