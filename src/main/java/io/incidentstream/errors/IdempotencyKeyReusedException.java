package io.incidentstream.errors;

/**
 * An Idempotency-Key already answered a different request (HTTP 422): the key names one request,
 * so its first result is not handed to another body, and the new body is not applied either.
 */
public class IdempotencyKeyReusedException extends RuntimeException {
    public IdempotencyKeyReusedException(final String message) {
        super(message);
    }
}
