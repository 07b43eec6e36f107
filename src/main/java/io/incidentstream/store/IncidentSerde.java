package io.incidentstream.store;

import io.incidentstream.ingest.Json;
import io.incidentstream.ingest.JsonSerde;
import io.incidentstream.model.Incident;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Source;
import io.incidentstream.model.Status;
import io.incidentstream.model.TimelineEntry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The binary format of incidents in {@code incidents-store} and its changelog. The store is read and
 * written once per alert event, and JSON (text times through {@code DateTimeFormatter}, reflection)
 * was the largest cost on the stream thread in issue 10's profile; here times are two numbers,
 * enums one byte, and only {@code reportData} (free-form) stays JSON. The {@code incidents} topic,
 * read by other programs, stays JSON.
 *
 * <pre>
 * 0x01 (version) | id | tenantId | alertId | alertVersion (int) | alertTemplateId | status | severity
 * | title | description | source | createdAt | updatedAt | lastCheckedAt | validUntil | acknowledgedAt
 * | resolvedAt | assignee | alertCount (long) | reportData | labels (int count, then key | value …)
 * | timeline (int count, then at | from | to | source | actor | note …)
 *
 * string:     int length (-1 = null) | UTF-8
 * time:       long epoch seconds (Long.MIN_VALUE = null) | int nanos
 * enum:       byte ordinal (-1 = null)
 * reportData: byte flag (0 = null) | int length | JSON
 * </pre>
 *
 * Enum ordinals are part of the format (the list index keys use them too): values are only ever
 * appended. Values that start with {@code '{'} are incidents written as JSON by earlier versions and
 * are still read, so an existing state directory or changelog needs no migration.
 */
public final class IncidentSerde {
    static final byte VERSION = 1;
    private static final long NO_TIME = Long.MIN_VALUE;
    private static final Serde<Incident> LEGACY_JSON = JsonSerde.of(Incident.class);
    private static final Status[] STATUSES = Status.values();
    private static final Severity[] SEVERITIES = Severity.values();
    private static final Source[] SOURCES = Source.values();

    private IncidentSerde() {
    }

    public static Serde<Incident> serde() {
        return Serdes.serdeFrom(serializer(), deserializer());
    }

    static Serializer<Incident> serializer() {
        return (topic, incident) -> incident == null ? null : write(incident);
    }

    static Deserializer<Incident> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            return bytes.length > 0 && bytes[0] == '{' ? LEGACY_JSON.deserializer().deserialize(topic, bytes) : read(bytes);
        };
    }

    static byte[] write(final Incident i) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            string(out, i.id());
            string(out, i.tenantId());
            string(out, i.alertId());
            out.writeInt(i.alertVersion());
            string(out, i.alertTemplateId());
            ordinal(out, i.status());
            ordinal(out, i.severity());
            string(out, i.title());
            string(out, i.description());
            ordinal(out, i.source());
            time(out, i.createdAt());
            time(out, i.updatedAt());
            time(out, i.lastCheckedAt());
            time(out, i.validUntil());
            time(out, i.acknowledgedAt());
            time(out, i.resolvedAt());
            string(out, i.assignee());
            out.writeLong(i.alertCount());
            out.writeBoolean(i.reportData() != null);
            if (i.reportData() != null) {
                bytes(out, Json.mapper().writeValueAsBytes(i.reportData()));
            }
            out.writeInt(i.labels().size());
            for (Map.Entry<String, String> label : i.labels().entrySet()) {
                string(out, label.getKey());
                string(out, label.getValue());
            }
            out.writeInt(i.timeline().size());
            for (TimelineEntry e : i.timeline()) {
                time(out, e.at());
                ordinal(out, e.from());
                ordinal(out, e.to());
                string(out, e.source());
                string(out, e.actor());
                string(out, e.note());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise incident " + i.id(), e);
        }
        return bytes.toByteArray();
    }

    static Incident read(final byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            final byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("unknown incident format version " + version);
            }
            final Incident.Builder b = new Incident.Builder()
                .id(string(in)).tenantId(string(in)).alertId(string(in)).alertVersion(in.readInt()).alertTemplateId(string(in))
                .status(enumOf(STATUSES, in.readByte())).severity(enumOf(SEVERITIES, in.readByte()))
                .title(string(in)).description(string(in)).source(enumOf(SOURCES, in.readByte()))
                .createdAt(time(in)).updatedAt(time(in)).lastCheckedAt(time(in)).validUntil(time(in))
                .acknowledgedAt(time(in)).resolvedAt(time(in)).assignee(string(in)).alertCount(in.readLong());
            if (in.readBoolean()) {
                b.reportData(Json.mapper().readTree(bytes(in)));
            }
            final int labelCount = in.readInt();
            final Map<String, String> labels = new HashMap<>(labelCount * 2);
            for (int n = 0; n < labelCount; n++) {
                labels.put(string(in), string(in));
            }
            b.labels(labels);
            final int entries = in.readInt();
            final List<TimelineEntry> timeline = new ArrayList<>(entries);
            for (int n = 0; n < entries; n++) {
                timeline.add(new TimelineEntry(time(in), enumOf(STATUSES, in.readByte()), enumOf(STATUSES, in.readByte()), string(in),
                    string(in), string(in)));
            }
            return b.timeline(timeline).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a stored incident", e);
        }
    }

    private static void string(final DataOutputStream out, final String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        final byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String string(final DataInputStream in) throws IOException {
        final int length = in.readInt();
        if (length < 0) {
            return null;
        }
        final byte[] utf8 = new byte[length];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static void time(final DataOutputStream out, final Instant t) throws IOException {
        if (t == null) {
            out.writeLong(NO_TIME);
            return;
        }
        out.writeLong(t.getEpochSecond());
        out.writeInt(t.getNano());
    }

    private static Instant time(final DataInputStream in) throws IOException {
        final long seconds = in.readLong();
        return seconds == NO_TIME ? null : Instant.ofEpochSecond(seconds, in.readInt());
    }

    private static void bytes(final DataOutputStream out, final byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] bytes(final DataInputStream in) throws IOException {
        final byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }

    private static void ordinal(final DataOutputStream out, final Enum<?> e) throws IOException {
        out.writeByte(e == null ? -1 : e.ordinal());
    }

    private static <E> E enumOf(final E[] values, final byte ordinal) {
        return ordinal < 0 ? null : values[ordinal];
    }
}
