package io.incidentstream.query;

import io.incidentstream.errors.BadRequestException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * A {@code GET /incidents/summary}: the caller's tenant and the window the response times are taken
 * over, an ISO-8601 duration from {@value #MIN_TEXT} to {@value #MAX_TEXT} ({@value #DEFAULT_TEXT}
 * when not given). The bound keeps the scan behind the figures bounded by how much happens in a
 * month, not by how much state is kept.
 */
public record SummaryQuery(String tenant, Duration window) {
    static final String DEFAULT_TEXT = "P7D";
    static final String MIN_TEXT = "PT1M";
    static final String MAX_TEXT = "P30D";
    public static final Duration DEFAULT_WINDOW = Duration.parse(DEFAULT_TEXT);
    static final Duration MIN_WINDOW = Duration.parse(MIN_TEXT);
    static final Duration MAX_WINDOW = Duration.parse(MAX_TEXT);

    /** Parses the query string; any parameter but {@code window} is a 400, as on the list. */
    public static SummaryQuery parse(final String tenant, final Map<String, List<String>> params) {
        for (String name : params.keySet()) {
            if (!name.equals("window")) {
                throw new BadRequestException("unknown parameter " + name + " (the summary takes window only)");
            }
        }
        final List<String> values = params.get("window");
        if (values == null) {
            return new SummaryQuery(tenant, DEFAULT_WINDOW);
        }
        if (values.size() != 1) {
            throw new BadRequestException("window is given more than once");
        }
        return new SummaryQuery(tenant, window(values.get(0)));
    }

    private static Duration window(final String text) {
        final Duration window;
        try {
            window = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new BadRequestException("window must be an ISO-8601 duration such as P7D or PT12H");
        }
        if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
            throw new BadRequestException("window must be between " + MIN_TEXT + " and " + MAX_TEXT);
        }
        return window;
    }
}
