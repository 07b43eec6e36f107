package io.incidentstream.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * What applying a command did, kept by the owner so the API can answer the caller (read your
 * writes) and so a repeated command returns the first answer instead of applying twice.
 * {@code status} is the HTTP status it maps to: 200/201/204 applied, 400/404/409 refused.
 *
 * <p>{@code fingerprint} ({@link CommandFingerprint}) names the request this result answers. A
 * command id derived from an Idempotency-Key can come back with another body; the result, kept in
 * the owner's changelogged store, is what every instance compares the new body with, now and after
 * restarts. Results recorded without one answer any request with their id.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommandResult(
        String commandId, String incidentId, int status, String message, Instant at, String fingerprint) {

    @JsonCreator
    public CommandResult {}

    /** A result of no request in particular. */
    public CommandResult(
            final String commandId, final String incidentId, final int status, final String message, final Instant at) {
        this(commandId, incidentId, status, message, at, null);
    }

    public boolean applied() {
        return status < 300;
    }

    /** Whether this is the answer to {@code command}, or (recorded without a fingerprint) may be. */
    public boolean answers(final IncidentCommand command) {
        return CommandFingerprint.matches(fingerprint, command);
    }
}
