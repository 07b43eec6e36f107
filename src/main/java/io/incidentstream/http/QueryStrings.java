package io.incidentstream.http;

import io.incidentstream.errors.BadRequestException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict query-string decoding. Jetty drops a parameter whose percent-encoding is broken
 * ({@code status=%ZZ}), which would silently turn a filtered list into an unfiltered one; here it
 * is a 400 instead.
 */
final class QueryStrings {
    private QueryStrings() {
    }

    static Map<String, List<String>> parse(final String query) {
        final Map<String, List<String>> params = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            final int eq = pair.indexOf('=');
            final String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            final String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String decode(final String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("the query string has a malformed percent-encoding");
        }
    }
}
