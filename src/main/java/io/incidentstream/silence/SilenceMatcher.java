package io.incidentstream.silence;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.incidentstream.model.LabelMatcher;
import java.util.Objects;

/**
 * One matcher of a silence, as Alertmanager's API v2 writes it: {@code name}, {@code value},
 * {@code isRegex}, {@code isEqual} ({@code isEqual=false} negates). Applied through {@link LabelMatcher},
 * so a regex is RE2, anchored at both ends, as in Alertmanager.
 */
public record SilenceMatcher(
        String name,
        String value,
        @JsonProperty("isRegex") boolean isRegex,
        @JsonProperty("isEqual") boolean isEqual) {

    public SilenceMatcher {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    /**
     * The matcher compiled.
     *
     * @throws IllegalArgumentException when the name is not a label name or the regex does not compile
     */
    public LabelMatcher compile() {
        final LabelMatcher.Type type = isRegex
                ? (isEqual ? LabelMatcher.Type.REGEX : LabelMatcher.Type.NOT_REGEX)
                : (isEqual ? LabelMatcher.Type.EQUAL : LabelMatcher.Type.NOT_EQUAL);
        return LabelMatcher.of(name, type, value);
    }
}
