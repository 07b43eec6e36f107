package io.incidentstream.store;

import static io.incidentstream.store.Binary.enumOf;
import static io.incidentstream.store.Binary.json;
import static io.incidentstream.store.Binary.labels;
import static io.incidentstream.store.Binary.skipString;
import static io.incidentstream.store.Binary.skipTime;
import static io.incidentstream.store.Binary.string;
import static io.incidentstream.store.Binary.time;

import io.incidentstream.codec.Json;
import io.incidentstream.codec.JsonSerde;
import io.incidentstream.model.Incident;
import io.incidentstream.model.MemberAlert;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Source;
import io.incidentstream.model.Status;
import io.incidentstream.model.TimelineEntry;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The binary format of incidents in {@code incidents-store} and its changelog. The store is read and
 * written once per alert event, and JSON (text times through {@code DateTimeFormatter}, reflection)
 * was the largest cost on the stream thread in the benchmark's profile; here times are two numbers,
 * enums one byte, and only {@code reportData} (free-form) stays JSON. The {@code incidents} topic,
 * read by other programs, stays JSON.
 *
 * <pre>
 * 0x01 (version) | id | tenantId | alertId | alertVersion (int) | alertTemplateId | status | severity
 * | title | description | source | createdAt | updatedAt | lastCheckedAt | validUntil | acknowledgedAt
 * | resolvedAt | assignee | alertCount (long) | reportData | labels (int count, then key | value …)
 * | timeline (int count, then at | from | to | source | actor | note …)
 * [| timelineDropped (long), only when not 0 or when a group block follows]
 * [| group block: int length | the grouping fields, only for a grouped incident:
 *    0x02 | groupKey | groupLabels (int count, -1 = null, then key | value …) | ruleId
 *    | memberCount (long, Long.MIN_VALUE = null) | lastJoinedAt
 *    | alerts (int count, -1 = null, then per member: alertId | state | severity | labels | firstSeen
 *      | lastCheckedAt | validUntil | joinedBy)]
 *
 * strings, times, enums, labels and reportData (a json piece) as {@link Binary} writes them
 * </pre>
 *
 * Enum ordinals are part of the format (the list index keys use them too): values are only ever
 * appended. Values that start with an opening brace are incidents written as JSON by earlier versions and
 * are still read, so an existing state directory or changelog needs no migration. The trailing
 * {@code timelineDropped} is optional: values without it read as 0, and a reader that predates it
 * ignores it, so instances of both versions can share a changelog during a rolling upgrade.
 *
 * <p>The group block was JSON at first (it starts with an opening brace, and is still read); a grouped
 * incident is read and written once per event of any of its members, and that JSON was half of the
 * stream thread's time in the grouped benchmark. An instance from before the binary group block cannot
 * read a grouped incident written since: upgrade every instance of a deployment that uses grouping rules.
 */
public final class IncidentSerde {
    static final byte VERSION = 1;
    private static final Serde<Incident> LEGACY_JSON = JsonSerde.of(Incident.class);
    private static final ThreadLocal<Boolean> LISTED = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private static final Status[] STATUSES = Status.values();
    private static final Severity[] SEVERITIES = Severity.values();
    private static final Source[] SOURCES = Source.values();
    private static final MemberAlert.State[] MEMBER_STATES = MemberAlert.State.values();
    /** The first byte of a binary group block (a JSON one starts with an opening brace). */
    private static final byte GROUP_BLOCK = 2;

    private IncidentSerde() {}

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
            if (bytes.length > 0 && bytes[0] == '{') {
                final Incident legacy = LEGACY_JSON.deserializer().deserialize(topic, bytes);
                return LISTED.get() ? legacy.withoutTimeline() : legacy;
            }
            return read(bytes, LISTED.get());
        };
    }

    /**
     * Runs {@code read} (store reads through this serde) with every incident read as a list page
     * shows it, {@link Incident#withoutTimeline()}: the timeline and the member alerts are stepped
     * over, not decoded. A grouped incident's members and timeline are most of its bytes, and list
     * pages decoded them only to drop them. Only this thread's reads change, and only until
     * {@code read} returns.
     */
    public static <T> T listed(final Supplier<T> read) {
        if (LISTED.get()) {
            return read.get();
        }
        LISTED.set(Boolean.TRUE);
        try {
            return read.get();
        } finally {
            LISTED.set(Boolean.FALSE);
        }
    }

    static byte[] write(final Incident i) {
        final Binary.Writer out = new Binary.Writer(512);
        out.writeByte(VERSION);
        out.string(i.id());
        out.string(i.tenantId());
        out.string(i.alertId());
        out.writeInt(i.alertVersion());
        out.string(i.alertTemplateId());
        out.ordinal(i.status());
        out.ordinal(i.severity());
        out.string(i.title());
        out.string(i.description());
        out.ordinal(i.source());
        out.time(i.createdAt());
        out.time(i.updatedAt());
        out.time(i.lastCheckedAt());
        out.time(i.validUntil());
        out.time(i.acknowledgedAt());
        out.time(i.resolvedAt());
        out.string(i.assignee());
        out.writeLong(i.alertCount());
        out.json(i.reportData());
        out.labels(i.labels());
        out.writeInt(i.timeline().size());
        for (TimelineEntry e : i.timeline()) {
            out.time(e.at());
            out.ordinal(e.from());
            out.ordinal(e.to());
            out.string(e.source());
            out.string(e.actor());
            out.string(e.note());
        }
        if (i.timelineDropped() != 0 || i.grouped()) {
            out.writeLong(i.timelineDropped());
        }
        if (i.grouped()) {
            final int lengthAt = out.reserveInt();
            out.writeByte(GROUP_BLOCK);
            out.string(i.groupKey());
            out.labels(i.groupLabels());
            out.string(i.ruleId());
            out.writeLong(i.memberCount() == null ? Long.MIN_VALUE : i.memberCount());
            out.time(i.lastJoinedAt());
            out.writeInt(i.alerts() == null ? -1 : i.alerts().size());
            if (i.alerts() != null) {
                for (MemberAlert m : i.alerts()) {
                    out.string(m.alertId());
                    out.ordinal(m.status());
                    out.ordinal(m.severity());
                    out.labels(m.labels());
                    out.time(m.firstSeen());
                    out.time(m.lastCheckedAt());
                    out.time(m.validUntil());
                    out.string(m.joinedBy());
                }
            }
            out.patchLength(lengthAt);
        }
        return out.toByteArray();
    }

    static Incident read(final byte[] bytes) {
        return read(bytes, false);
    }

    /** The incident, or with {@code listed} its {@link Incident#withoutTimeline()} form, decoded as such. */
    static Incident read(final byte[] bytes, final boolean listed) {
        final ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            final byte version = in.get();
            if (version != VERSION) {
                throw new IllegalStateException("unknown incident format version " + version);
            }
            final Incident.Builder b = new Incident.Builder()
                    .id(string(in))
                    .tenantId(string(in))
                    .alertId(string(in))
                    .alertVersion(in.getInt())
                    .alertTemplateId(string(in))
                    .status(enumOf(STATUSES, in.get()))
                    .severity(enumOf(SEVERITIES, in.get()))
                    .title(string(in))
                    .description(string(in))
                    .source(enumOf(SOURCES, in.get()))
                    .createdAt(time(in))
                    .updatedAt(time(in))
                    .lastCheckedAt(time(in))
                    .validUntil(time(in))
                    .acknowledgedAt(time(in))
                    .resolvedAt(time(in))
                    .assignee(string(in))
                    .alertCount(in.getLong());
            b.reportData(json(in));
            b.labels(labels(in));
            final int entries = in.getInt();
            if (listed) {
                for (int n = 0; n < entries; n++) {
                    skipTime(in);
                    in.position(in.position() + 2);
                    skipString(in);
                    skipString(in);
                    skipString(in);
                }
                b.timeline(List.of());
                if (in.remaining() >= Long.BYTES) {
                    in.getLong();
                }
            } else {
                final List<TimelineEntry> timeline = new ArrayList<>(entries);
                for (int n = 0; n < entries; n++) {
                    timeline.add(new TimelineEntry(
                            time(in),
                            enumOf(STATUSES, in.get()),
                            enumOf(STATUSES, in.get()),
                            string(in),
                            string(in),
                            string(in)));
                }
                b.timeline(timeline).timelineDropped(in.remaining() >= Long.BYTES ? in.getLong() : 0);
            }
            if (in.remaining() >= Integer.BYTES) {
                final int length = in.getInt();
                if (bytes[in.position()] == '{') {
                    Json.mapper()
                            .readValue(bytes, in.position(), length, GroupFields.class)
                            .into(b);
                    if (listed) {
                        b.alerts(null);
                    }
                } else {
                    readGroupBlock(in, b, listed);
                }
            }
            return b.build();
        } catch (IOException | BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read a stored incident", e);
        }
    }

    private static void readGroupBlock(final ByteBuffer in, final Incident.Builder b, final boolean listed) {
        final byte format = in.get();
        if (format != GROUP_BLOCK) {
            throw new IllegalStateException("unknown group block format " + format);
        }
        b.groupKey(string(in)).groupLabels(labels(in)).ruleId(string(in));
        final long memberCount = in.getLong();
        b.memberCount(memberCount == Long.MIN_VALUE ? null : memberCount).lastJoinedAt(time(in));
        final int members = in.getInt();
        if (members >= 0 && !listed) {
            final List<MemberAlert> alerts = new ArrayList<>(members);
            for (int n = 0; n < members; n++) {
                alerts.add(new MemberAlert(
                        string(in),
                        enumOf(MEMBER_STATES, in.get()),
                        enumOf(SEVERITIES, in.get()),
                        labels(in),
                        time(in),
                        time(in),
                        time(in),
                        string(in)));
            }
            b.alerts(alerts);
        }
    }

    /** The grouping fields as the first grouped incidents stored them: one JSON block at the end of the binary form. */
    record GroupFields(
            String groupKey,
            Map<String, String> groupLabels,
            String ruleId,
            Long memberCount,
            Instant lastJoinedAt,
            List<MemberAlert> alerts) {

        static GroupFields of(final Incident i) {
            return new GroupFields(
                    i.groupKey(), i.groupLabels(), i.ruleId(), i.memberCount(), i.lastJoinedAt(), i.alerts());
        }

        void into(final Incident.Builder b) {
            b.groupKey(groupKey)
                    .groupLabels(groupLabels)
                    .ruleId(ruleId)
                    .memberCount(memberCount)
                    .lastJoinedAt(lastJoinedAt)
                    .alerts(alerts);
        }
    }
}
