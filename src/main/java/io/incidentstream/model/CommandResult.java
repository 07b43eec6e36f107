package io.incidentstream.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * What applying a command did, kept by the owner so the API can answer the caller (read your
 * writes) and so a repeated command returns the first answer instead of applying twice.
 * {@code status} is the HTTP status it maps to: 200/201/204 applied, 400/404/409 refused.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommandResult(String commandId, String incidentId, int status, String message, Instant at) {

    public boolean applied() {
        return status < 300;
    }
}
