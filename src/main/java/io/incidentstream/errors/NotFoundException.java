package io.incidentstream.errors;

/** No such resource for this caller (HTTP 404). */
public class NotFoundException extends RuntimeException {
    public NotFoundException(final String message) {
        super(message);
    }
}
