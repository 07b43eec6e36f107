package io.incidentstream.store;

import static io.incidentstream.store.Binary.enumOf;
import static io.incidentstream.store.Binary.json;
import static io.incidentstream.store.Binary.labels;
import static io.incidentstream.store.Binary.string;
import static io.incidentstream.store.Binary.time;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.codec.JsonSerde;
import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.AlertStatus;
import io.incidentstream.model.Severity;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The binary format of decoded alerts on the re-key repartition topic ({@code alerts-rekey}), which
 * only this application writes and reads: every grouped alert crosses it, and writing it as JSON and
 * reading it back was a tenth of the grouped benchmark's stream thread. Same pieces as
 * {@link IncidentSerde} ({@link Binary}); only {@code reportData} (free-form) stays JSON.
 *
 * <pre>
 * 0x01 (version) | alertId | alertVersion (int) | alertTemplateId | tenantId | status | severity | title
 * | description | checkedAt | validUntil | reportData (byte flag, 0 = null | int length | JSON) | labels
 * | eventId
 * </pre>
 *
 * Values that start with an opening brace are alerts written as JSON by earlier versions and are still
 * read, so records already on the topic when an instance is upgraded are folded. An instance of an
 * earlier version cannot read this form (it would dead-letter such a record): a rolling upgrade from
 * one runs with {@code REKEY_FORMAT=json} until every instance is upgraded, then without.
 */
public final class AlertEventSerde {
    static final byte VERSION = 1;
    private static final Serde<AlertEvent> JSON = JsonSerde.of(AlertEvent.class);
    private static final AlertStatus[] STATUSES = AlertStatus.values();
    private static final Severity[] SEVERITIES = Severity.values();

    private AlertEventSerde() {}

    /** With {@code json}, written as JSON, the form earlier versions read (both forms are read either way). */
    public static Serde<AlertEvent> serde(final boolean json) {
        return Serdes.serdeFrom(json ? JSON.serializer() : serializer(), deserializer());
    }

    static Serializer<AlertEvent> serializer() {
        return (topic, event) -> event == null ? null : write(event);
    }

    static Deserializer<AlertEvent> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length > 0 && bytes[0] == '{') {
                return JSON.deserializer().deserialize(topic, bytes);
            }
            return read(bytes);
        };
    }

    static byte[] write(final AlertEvent e) {
        final Binary.Writer out = new Binary.Writer(256);
        out.writeByte(VERSION);
        out.string(e.alertId());
        out.writeInt(e.alertVersion());
        out.string(e.alertTemplateId());
        out.string(e.tenantId());
        out.ordinal(e.status());
        out.ordinal(e.severity());
        out.string(e.title());
        out.string(e.description());
        out.time(e.checkedAt());
        out.time(e.validUntil());
        out.json(e.reportData());
        out.labels(e.labels());
        out.string(e.eventId());
        return out.toByteArray();
    }

    static AlertEvent read(final byte[] bytes) {
        final ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            final byte version = in.get();
            if (version != VERSION) {
                throw new SerializationException("unknown alert event format version " + version);
            }
            final String alertId = string(in);
            final int alertVersion = in.getInt();
            final String alertTemplateId = string(in);
            final String tenantId = string(in);
            final AlertStatus status = enumOf(STATUSES, in.get());
            final Severity severity = enumOf(SEVERITIES, in.get());
            final String title = string(in);
            final String description = string(in);
            final Instant checkedAt = time(in);
            final Instant validUntil = time(in);
            final JsonNode reportData = json(in);
            return new AlertEvent(
                    alertId,
                    alertVersion,
                    alertTemplateId,
                    tenantId,
                    status,
                    severity,
                    title,
                    description,
                    checkedAt,
                    validUntil,
                    reportData,
                    labels(in),
                    string(in));
        } catch (IOException
                | BufferUnderflowException
                | IndexOutOfBoundsException
                | IllegalArgumentException
                | NullPointerException e) {
            throw new SerializationException("cannot read an alert event", e);
        }
    }
}
