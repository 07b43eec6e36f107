package io.incidentstream.http;

import io.incidentstream.errors.BadRequestException;
import io.incidentstream.model.Texts;
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
    private QueryStrings() {}

    static Map<String, List<String>> parse(final String query) {
        final Map<String, List<String>> params = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&", -1)) {
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

    /** Refuses any parameter, for routes that take none. */
    static void requireNone(final String query) {
        final Map<String, List<String>> params = parse(query);
        if (!params.isEmpty()) {
            throw new BadRequestException("unknown query parameter '"
                    + Texts.abbreviate(params.keySet().iterator().next())
                    + "'; this route takes none");
        }
    }

    private static String decode(final String text) {
        // URLDecoder reads the two characters after '%' with Integer.parseInt(..., 16), which also
        // takes a sign: "%+1" and "%-0" would decode to control characters instead of failing.
        for (int i = text.indexOf('%'); i >= 0; i = text.indexOf('%', i + 3)) {
            if (i + 2 >= text.length() || !isHex(text.charAt(i + 1)) || !isHex(text.charAt(i + 2))) {
                throw new BadRequestException("the query string has a malformed percent-encoding");
            }
        }
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("the query string has a malformed percent-encoding");
        }
    }

    private static boolean isHex(final char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
