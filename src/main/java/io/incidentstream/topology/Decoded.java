package io.incidentstream.topology;

import io.incidentstream.model.AlertEvent;

/**
 * Outcome of decoding one raw record, passed between processors of the same sub-topology (never
 * serialised): a valid event and whether it arrived under its canonical key, or a dead letter.
 */
record Decoded(AlertEvent event, boolean keyedCanonically, byte[] rawKey, byte[] rawValue) {

    static Decoded ok(final AlertEvent event, final boolean keyedCanonically) {
        return new Decoded(event, keyedCanonically, null, null);
    }

    static Decoded deadLetter(final byte[] rawKey, final byte[] rawValue) {
        return new Decoded(null, false, rawKey, rawValue);
    }

    boolean isDeadLetter() {
        return event == null;
    }
}
