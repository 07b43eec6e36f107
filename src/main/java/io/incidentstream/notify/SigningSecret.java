package io.incidentstream.notify;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** One signing secret of a subscription; {@code expiresAt} is set on the previous one during a rotation's overlap. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SigningSecret(String value, Instant expiresAt) {
    /** Whether deliveries made at {@code now} are still signed with it. */
    boolean validAt(final Instant now) {
        return expiresAt == null || now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "SigningSecret[hidden, expiresAt=" + expiresAt + "]"; // never a secret in a log line
    }
}
