package io.incidentstream.errors;

/**
 * The caller's input cannot be accepted: a bad parameter, body, cursor or alert. The message names
 * what is wrong and is shown to the caller as it is (the HTTP layer answers 400, in one place).
 */
public class BadRequestException extends RuntimeException {
    public BadRequestException(final String message) {
        super(message);
    }
}
