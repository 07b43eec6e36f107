package io.incidentstream.ingest;

import io.incidentstream.errors.BadRequestException;
import java.util.List;

/**
 * A PagerDuty Events API v2 event that cannot be accepted. Carries every problem found, because
 * PagerDuty answers with the whole list ({@code {"status": "invalid event", "message": "Event object
 * is invalid", "errors": [...]}}) and its client libraries show that list to the user.
 */
public final class InvalidPagerDutyEventException extends BadRequestException {
    private final List<String> errors;

    public InvalidPagerDutyEventException(final List<String> errors) {
        super("Event object is invalid: " + String.join("; ", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
