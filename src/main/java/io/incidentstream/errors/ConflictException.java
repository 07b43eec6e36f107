package io.incidentstream.errors;

/** The request is valid but the resource's state does not allow it (HTTP 409), e.g. acknowledging a resolved incident. */
public class ConflictException extends RuntimeException {
    public ConflictException(final String message) {
        super(message);
    }
}
