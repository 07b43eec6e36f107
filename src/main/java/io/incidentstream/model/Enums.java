package io.incidentstream.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Case-insensitive enum parsing with an error message that names the field and the allowed values. */
final class Enums {
    private Enums() {}

    static <E extends Enum<E>> E parse(final Class<E> type, final String text, final String field) {
        if (text == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        try {
            return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    field + " must be one of " + allowed(type) + ", got '" + Texts.abbreviate(text) + "'");
        }
    }

    private static <E extends Enum<E>> String allowed(final Class<E> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining("|"));
    }
}
