package io.incidentstream.ingest;

import io.incidentstream.model.AlertEvent;
import java.util.List;

/** Where accepted alerts go: topic {@code alerts}. */
public interface AlertSink {

    /**
     * Writes the events and returns once the broker acknowledged every one of them.
     *
     * @throws io.incidentstream.errors.UnavailableException when the broker does not acknowledge in time;
     *         the caller must assume none was accepted and retry (duplicates are harmless: a repeated
     *         check has the same {@code checkedAt} and is ignored by the lifecycle)
     */
    void publishEncoded(List<EncodedAlert> alerts);

    /** {@link #publishEncoded} of the events, each serialised and bounded by {@link EncodedAlert#of}. */
    default void publish(final List<AlertEvent> events) {
        publishEncoded(events.stream().map(EncodedAlert::of).toList());
    }
}
