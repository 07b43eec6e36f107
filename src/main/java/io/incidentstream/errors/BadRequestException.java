package io.incidentstream.errors;

/** The caller sent something we cannot accept (HTTP 400). The message is shown to the caller. */
public class BadRequestException extends RuntimeException {
    public BadRequestException(final String message) {
        super(message);
    }
}
