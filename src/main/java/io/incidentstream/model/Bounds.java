package io.incidentstream.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The size of everything the topology stores and publishes, bounded by construction. Kafka refuses
 * a record above {@code max.request.size} (1 MiB by default), and under exactly-once a refused
 * record fails the whole transaction: one client growing one incident past it would stop every
 * tenant's ingest. So every field of an {@link Incident} has a bound, the timeline is bounded in
 * entries and in bytes, and the sum of the bounds stays under {@link #MAX_INCIDENT_BYTES}.
 *
 * <p>Bytes are counted as JSON text in UTF-8 ({@link JsonSize}): the {@code incidents} topic is JSON,
 * the largest form an incident takes (the store's binary form is smaller). The worst case — every
 * field at its bound and written with six-byte escapes — is about 240 KiB; a test checks it.
 *
 * <p>Two kinds of use. The edges (HTTP writes, the alert decoder, {@link Commands} for commands read
 * from Kafka) refuse a value over a bound with a message naming the field, via the {@code *Violation}
 * methods. The records themselves ({@link Incident}, {@link TimelineEntry}) cut whatever still
 * arrives over a bound — state written by an earlier version, a record injected on an internal
 * topic — so that no code path can build an oversized incident.
 */
public final class Bounds {
    /** The largest incident, as JSON on {@code incidents}; well under Kafka's 1 MiB {@code max.request.size}. */
    public static final int MAX_INCIDENT_BYTES = 256 * 1024;
    /** {@code alertId}, {@code alertTemplateId}, {@code eventId}, command and incident ids. */
    public static final int MAX_ID_CHARS = 256;
    /** Tenant ids ({@code [A-Za-z0-9._-]}, so characters are bytes). */
    public static final int MAX_TENANT_CHARS = 64;

    public static final int MAX_TITLE_CHARS = 1024;
    public static final int MAX_ASSIGNEE_CHARS = 1024;
    /** Who made a change (a token's subject), as shown on the timeline. */
    public static final int MAX_ACTOR_CHARS = 256;
    /** {@code description} and a timeline {@code note}: characters … */
    public static final int MAX_TEXT_CHARS = 16 * 1024;
    /** … and bytes as JSON: 16,384 three-byte characters ({@code €}) fit exactly. */
    public static final int MAX_TEXT_BYTES = 48 * 1024;

    public static final int MAX_LABELS = 64;
    public static final int MAX_LABEL_KEY_CHARS = 128;
    public static final int MAX_LABEL_VALUE_CHARS = 1024;
    /** All labels together, as a JSON object. */
    public static final int MAX_LABELS_BYTES = 16 * 1024;
    /** {@code reportData}, as JSON. */
    public static final int MAX_REPORT_DATA_BYTES = 64 * 1024;

    /** Timeline entries kept per incident; older ones are dropped first. */
    public static final int MAX_TIMELINE_ENTRIES = 50;
    /** The whole timeline, as a JSON array; older entries are dropped first. Always holds the newest. */
    public static final int MAX_TIMELINE_BYTES = 96 * 1024;

    /**
     * The largest grouped incident, as JSON: an incident's own bound plus its member list and group
     * fields ({@link #MAX_MEMBERS_BYTES}, {@link #MAX_GROUP_LABELS_BYTES}, {@link #MAX_GROUP_KEY_CHARS});
     * still well under Kafka's 1 MiB.
     */
    public static final int MAX_GROUPED_INCIDENT_BYTES =
            MAX_INCIDENT_BYTES + 128 * 1024 + 4 * 1024 + 6 * 4 * 1024 + 1024;

    /** Members a grouped incident lists ({@link MemberAlert}); further members are counted only. */
    public static final int MAX_MEMBERS = 200;
    /** The listed members together, as a JSON array; members past it are counted only. */
    public static final int MAX_MEMBERS_BYTES = 128 * 1024;
    /** One member's labels, as a JSON object: the labels that fit, in name order. */
    public static final int MAX_MEMBER_LABELS_BYTES = 1024;
    /** A member apart from its labels and ids: times, names, punctuation. */
    static final int MEMBER_OVERHEAD = 256;
    /** The group's labels, as a JSON object; and the group key, characters. */
    public static final int MAX_GROUP_LABELS_BYTES = 4 * 1024;

    public static final int MAX_GROUP_KEY_CHARS = 4 * 1024;

    /** An upper bound of one timeline entry's JSON apart from its texts (times, statuses, names, punctuation). */
    static final int TIMELINE_ENTRY_OVERHEAD = 128;

    private static final String ELLIPSIS = "…";

    private Bounds() {}

    // ---- refusals at the edges: null when within the bound, else a message naming the field ----

    /** A text field bounded in characters only. */
    public static String textViolation(final String field, final String value, final int maxChars) {
        if (value != null && value.length() > maxChars) {
            return field + " is longer than " + maxChars + " characters";
        }
        return null;
    }

    /** A free text ({@code description}, {@code note}): characters and bytes as JSON. */
    public static String longTextViolation(final String field, final String value) {
        final String chars = textViolation(field, value, MAX_TEXT_CHARS);
        if (chars != null) {
            return chars;
        }
        if (!JsonSize.fits(value, MAX_TEXT_BYTES)) {
            return field + " is larger than " + MAX_TEXT_BYTES + " bytes as JSON (UTF-8; a control character counts 6)";
        }
        return null;
    }

    public static String labelsViolation(final Map<String, String> labels) {
        if (labels.size() > MAX_LABELS) {
            return "labels has " + labels.size() + " entries, more than " + MAX_LABELS;
        }
        long upperBound = 2;
        for (Map.Entry<String, String> e : labels.entrySet()) {
            upperBound += 6 + (long) JsonSize.MAX_BYTES_PER_CHAR * (e.getKey().length() + length(e.getValue()));
            if (e.getKey().length() > MAX_LABEL_KEY_CHARS) {
                return "labels." + Texts.abbreviate(e.getKey()) + ": the name is longer than " + MAX_LABEL_KEY_CHARS
                        + " characters";
            }
            if (e.getValue() != null && e.getValue().length() > MAX_LABEL_VALUE_CHARS) {
                return "labels." + Texts.abbreviate(e.getKey()) + " is longer than " + MAX_LABEL_VALUE_CHARS
                        + " characters";
            }
        }
        if (upperBound <= MAX_LABELS_BYTES) {
            return null; // decided from lengths alone
        }
        final long bytes = JsonSize.of(labels);
        if (bytes > MAX_LABELS_BYTES) {
            return "labels are " + bytes + " bytes as JSON, more than " + MAX_LABELS_BYTES;
        }
        return null;
    }

    public static String reportDataViolation(final JsonNode reportData) {
        if (reportData == null || JsonSize.atMost(reportData) <= MAX_REPORT_DATA_BYTES) {
            return null; // decided from lengths alone
        }
        final long bytes = JsonSize.of(reportData);
        return bytes > MAX_REPORT_DATA_BYTES
                ? "reportData is " + bytes + " bytes as JSON, more than " + MAX_REPORT_DATA_BYTES
                : null;
    }

    /** What a command may carry into an incident: its texts and labels. */
    public static String commandViolation(final IncidentCommand c) {
        String v = textViolation("title", c.title(), MAX_TITLE_CHARS);
        if (v == null) {
            v = longTextViolation("description", c.description());
        }
        if (v == null) {
            v = textViolation("assignee", c.assignee(), MAX_ASSIGNEE_CHARS);
        }
        if (v == null) {
            v = longTextViolation("note", c.note());
        }
        return v == null ? labelsViolation(c.labels()) : v;
    }

    /** For identities, which cannot be cut without changing what they name: refused where they are made. */
    static String requireWithin(final String field, final String value, final int maxChars) {
        if (value != null && value.length() > maxChars) {
            throw new IllegalArgumentException(field + " is longer than " + maxChars + " characters");
        }
        return value;
    }

    // ---- the last line: values over a bound are cut, never refused (they are already stored) ----

    /**
     * {@code text} cut to at most {@code maxChars} characters and {@code maxBytes} as JSON, the cut
     * marked with "…" and never inside a surrogate pair; unchanged when within both. For adapters
     * whose senders expect a long summary to be shortened rather than refused.
     */
    public static String cut(final String text, final int maxChars, final long maxBytes) {
        if (text == null || (text.length() <= maxChars && JsonSize.fits(text, maxBytes))) {
            return text;
        }
        final long byteBudget = maxBytes - JsonSize.ofText(ELLIPSIS);
        long bytes = 0;
        int end = 0;
        while (end < maxChars - 1 && end < text.length()) {
            final int cost = JsonSize.ofChar(text.charAt(end));
            if (bytes + cost > byteBudget) {
                break;
            }
            bytes += cost;
            end++;
        }
        if (end > 0 && end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never half a pair
        }
        return text.substring(0, end) + ELLIPSIS;
    }

    public static String cut(final String text, final int maxChars) {
        return cut(text, maxChars, (long) maxChars * JsonSize.MAX_BYTES_PER_CHAR);
    }

    /** The labels within bounds: in name order, those that fit; the rest are left out. */
    static Map<String, String> clampLabels(final Map<String, String> labels) {
        return clampLabels(labels, MAX_LABELS_BYTES);
    }

    /** The labels within bounds and within {@code maxBytes} as JSON: in name order, those that fit. */
    static Map<String, String> clampLabels(final Map<String, String> labels, final int maxBytes) {
        if (labelsViolation(labels) == null
                && (maxBytes >= MAX_LABELS_BYTES
                        || JsonSize.atMost(labels) <= maxBytes
                        || JsonSize.of(labels) <= maxBytes)) {
            return labels;
        }
        final Map<String, String> kept = new TreeMap<>();
        long bytes = 2;
        for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
            final long cost = JsonSize.ofText(e.getKey()) + JsonSize.ofText(e.getValue()) + 6;
            if (kept.size() < MAX_LABELS
                    && e.getKey().length() <= MAX_LABEL_KEY_CHARS
                    && e.getValue().length() <= MAX_LABEL_VALUE_CHARS
                    && bytes + cost <= maxBytes) {
                kept.put(e.getKey(), e.getValue());
                bytes += cost;
            }
        }
        return kept;
    }

    /** {@code reportData}, or in its place an object saying why it was dropped when it is too large. */
    static JsonNode clampReportData(final JsonNode reportData) {
        final String violation = reportDataViolation(reportData);
        if (violation == null) {
            return reportData;
        }
        final ObjectNode dropped = JsonNodeFactory.instance.objectNode();
        dropped.put("dropped", violation);
        return dropped;
    }

    /**
     * How many of the first members fit the member bounds (entries and bytes as JSON); the rest are
     * left out of the list (and counted in {@code memberCount} only).
     */
    static int membersThatFit(final List<MemberAlert> members) {
        if (members.size() <= MAX_MEMBERS && quickMembersBytes(members) <= MAX_MEMBERS_BYTES) {
            return members.size(); // the common case, decided from lengths alone: no text is scanned
        }
        long bytes = 2;
        int n = 0;
        for (MemberAlert m : members) {
            bytes += MEMBER_OVERHEAD
                    + JsonSize.ofText(m.alertId())
                    + JsonSize.ofText(m.joinedBy())
                    + JsonSize.of(m.labels())
                    + 1;
            if (n == MAX_MEMBERS || bytes > MAX_MEMBERS_BYTES) {
                break;
            }
            n++;
        }
        return n;
    }

    /** Bytes of one timeline entry as JSON, at most. */
    static long entryBytes(final TimelineEntry e) {
        return TIMELINE_ENTRY_OVERHEAD
                + JsonSize.ofText(e.source())
                + JsonSize.ofText(e.actor())
                + JsonSize.ofText(e.note());
    }

    /** How many of the oldest entries must go so that the rest fit in entries and in bytes. */
    static int timelineOverflow(final List<TimelineEntry> timeline) {
        if (timeline.size() <= MAX_TIMELINE_ENTRIES && quickTimelineBytes(timeline) <= MAX_TIMELINE_BYTES) {
            return 0; // the common case, decided from lengths alone: no text is scanned
        }
        int drop = Math.max(0, timeline.size() - MAX_TIMELINE_ENTRIES);
        long bytes = 2;
        for (int i = timeline.size() - 1; i >= drop; i--) {
            bytes += entryBytes(timeline.get(i)) + 1;
            if (bytes > MAX_TIMELINE_BYTES) {
                drop = i + 1;
                break;
            }
        }
        return drop;
    }

    /** An upper bound of the members' bytes from lengths alone (six bytes a character). */
    private static long quickMembersBytes(final List<MemberAlert> members) {
        long bytes = 2;
        for (MemberAlert m : members) {
            bytes += MEMBER_OVERHEAD
                    + 1
                    + (long) JsonSize.MAX_BYTES_PER_CHAR * (length(m.alertId()) + length(m.joinedBy()))
                    + JsonSize.atMost(m.labels());
        }
        return bytes;
    }

    /** An upper bound from lengths alone (six bytes a character). */
    private static long quickTimelineBytes(final List<TimelineEntry> timeline) {
        long bytes = 2;
        for (TimelineEntry e : timeline) {
            bytes += TIMELINE_ENTRY_OVERHEAD
                    + 1
                    + (long) JsonSize.MAX_BYTES_PER_CHAR * (length(e.source()) + length(e.actor()) + length(e.note()));
        }
        return bytes;
    }

    private static int length(final String s) {
        return s == null ? 0 : s.length();
    }
}
