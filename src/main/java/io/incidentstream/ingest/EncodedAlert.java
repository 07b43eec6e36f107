package io.incidentstream.ingest;

import static io.incidentstream.errors.InvalidAlertException.Reason.TOO_LARGE;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.incidentstream.codec.Json;
import io.incidentstream.errors.InvalidAlertException;
import io.incidentstream.model.AlertEvent;

/**
 * An accepted alert with the bytes it is produced to {@code alerts} as: serialised once, and
 * bounded by {@link AlertDecoder#MAX_ALERT_BYTES} as produced, so nothing accepted by the API can be
 * dead-lettered later for its size.
 */
// The bytes are produced as they are, without a copy; nothing compares two of these.
@SuppressWarnings("ArrayRecordComponent")
public record EncodedAlert(AlertEvent event, byte[] json) {
    /**
     * Serialises the event once, as it will be produced.
     *
     * @throws InvalidAlertException when the alert is larger than {@link AlertDecoder#MAX_ALERT_BYTES} as produced
     */
    public static EncodedAlert of(final AlertEvent event) {
        final byte[] json;
        try {
            json = Json.mapper().writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an AlertEvent could not be serialised", e);
        }
        if (json.length > AlertDecoder.MAX_ALERT_BYTES) {
            throw new InvalidAlertException(
                    TOO_LARGE,
                    "the alert is " + json.length + " bytes as a native alert, more than "
                            + AlertDecoder.MAX_ALERT_BYTES);
        }
        return new EncodedAlert(event, json);
    }
}
