package io.incidentstream.auth;

/** {@code AUTH_TOKENS_FILE} cannot be used: at start-up a failure, on reload the last good file stays. */
public final class InvalidTokenFileException extends RuntimeException {
    public InvalidTokenFileException(final String message) {
        super(message);
    }
}
