package io.incidentstream.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Incident ids have the form {@code incident.<partition>.<sequence>}: the partition of the task
 * that owns the incident and a per-partition sequence kept in a changelogged store. Ids are thus
 * unique, stable under replay (exactly-once restores the sequence with the state), independent of
 * wall-clock time, and tell which partition (and so which instance) owns an incident.
 */
public final class IncidentId {
    private static final Pattern FORMAT = Pattern.compile("incident\\.(\\d{1,5})\\.([0-9a-z]{1,13})");

    private IncidentId() {}

    public static String of(final int partition, final long sequence) {
        return "incident." + partition + "." + Long.toString(sequence, 36);
    }

    /** The owning partition, or -1 when the text is not an incident id. */
    public static int partitionOf(final String id) {
        if (id == null) {
            return -1;
        }
        final Matcher m = FORMAT.matcher(id);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    public static boolean isValid(final String id) {
        return partitionOf(id) >= 0;
    }
}
