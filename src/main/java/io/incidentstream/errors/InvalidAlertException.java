package io.incidentstream.errors;

/**
 * An alert that cannot be accepted. {@link #reason()} is a short, bounded code (metric tag and DLQ
 * header); the message names the field and what is wrong with it.
 */
public final class InvalidAlertException extends BadRequestException {

    /** Why a record was rejected; a small closed set so metrics stay low-cardinality. */
    public enum Reason {
        NOT_JSON,
        NOT_OBJECT,
        TOO_LARGE,
        MISSING_FIELD,
        WRONG_TYPE,
        BAD_ENUM,
        BAD_TIMESTAMP,
        BAD_VALUE;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason reason;

    public InvalidAlertException(final Reason reason, final String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** The same problem, with the message prefixed by where it occurred (e.g. {@code alerts[3]}). */
    public InvalidAlertException at(final String where) {
        return new InvalidAlertException(reason, where + ": " + getMessage());
    }
}
