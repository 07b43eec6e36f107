package io.incidentstream.silence;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Alertmanager's silence states, from {@code startsAt} and {@code endsAt} alone. */
public enum SilenceState {
    /** {@code startsAt} is still ahead. */
    PENDING,
    /** Between {@code startsAt} (inclusive) and {@code endsAt} (exclusive). */
    ACTIVE,
    /** {@code endsAt} has passed (or was reached by expiring it). */
    EXPIRED;

    @JsonValue
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
