package io.incidentstream.errors;

/**
 * The request is valid but the resource's state does not allow it, e.g. acknowledging a resolved
 * incident (the HTTP layer answers 409).
 */
public class ConflictException extends RuntimeException {
    public ConflictException(final String message) {
        super(message);
    }
}
