package io.incidentstream.topology;

import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.IncidentCommand;

/**
 * Outcome of decoding one raw record, passed between processors of the same sub-topology (never
 * serialised): a valid alert event (and whether it may be folded where it arrived, without the repartition), a valid
 * command, or a dead letter carrying the original bytes. The byte arrays are the record's own,
 * handed on without copying; nothing compares two of these.
 */
@SuppressWarnings("ArrayRecordComponent")
record Decoded(AlertEvent event, IncidentCommand command, boolean inPlace, byte[] rawKey, byte[] rawValue) {

    static Decoded ok(final AlertEvent event, final boolean inPlace) {
        return new Decoded(event, null, inPlace, null, null);
    }

    static Decoded ok(final IncidentCommand command) {
        return new Decoded(null, command, true, null, null);
    }

    static Decoded deadLetter(final byte[] rawKey, final byte[] rawValue) {
        return new Decoded(null, null, false, rawKey, rawValue);
    }

    boolean isDeadLetter() {
        return event == null && command == null;
    }
}
