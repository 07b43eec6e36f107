package io.incidentstream.ingest;

import io.incidentstream.model.AlertEvent;
import java.util.List;

/** Where accepted alerts go: topic {@code alerts}. */
public interface AlertSink {

    /**
     * Writes the events and returns once the broker acknowledged every one of them.
     *
     * @throws io.incidentstream.errors.UnavailableException when the broker does not acknowledge all
     *         within the timeout, however many events there are; some may be stored, so the caller
     *         retries them all (duplicates are harmless: a repeated check with the same
     *         {@code checkedAt} is ignored by the lifecycle, a later one folds into the same incident)
     */
    void publishEncoded(List<EncodedAlert> alerts);

    /** {@link #publishEncoded} of the events, each serialised and bounded by {@link EncodedAlert#of}. */
    default void publish(final List<AlertEvent> events) {
        publishEncoded(events.stream().map(EncodedAlert::of).toList());
    }
}
