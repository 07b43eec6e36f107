package io.incidentstream.errors;

/** No such resource for this caller; another tenant's resource counts as none (the HTTP layer answers 404). */
public class NotFoundException extends RuntimeException {
    public NotFoundException(final String message) {
        super(message);
    }
}
