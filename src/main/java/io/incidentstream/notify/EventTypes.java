package io.incidentstream.notify;

import io.incidentstream.model.IncidentEvent;
import io.incidentstream.model.Status;
import java.util.List;

/**
 * What a record of {@code incident-events} is called in a notification. The topology writes the
 * lifecycle's words (opened, resolved, reopened, expired) and the API's (created, updated,
 * deleted, purged); subscribers get one vocabulary: an incident made by hand is {@code opened}, an
 * update that acknowledges or resolves is {@code acknowledged} or {@code resolved}, any other update
 * {@code updated}. A grouped incident's new member is {@code joined}; a member resolved or expired
 * while the incident stays open is an {@code updated}. A retention purge (a closed incident aged out)
 * is no news and is not sent.
 */
public final class EventTypes {
    /**
     * Every type a subscription may ask for. {@code unsilenced} is not a record of {@code incident-events}:
     * it is sent when a silence stops muting an incident that is still open (see {@code EventConsumer}).
     */
    public static final List<String> ALL = List.of(
            "opened", "acknowledged", "resolved", "expired", "reopened", "updated", "joined", "deleted", "unsilenced");

    /**
     * Every type, this version's and those a later version adds: a subscription's default, so that a new
     * kind of change reaches subscribers who did not choose their events.
     */
    public static final String EVERY = "*";

    private EventTypes() {}

    /** The event's type for subscribers ({@code opened} …, without the {@code incident.} prefix), or null: not sent. */
    public static String of(final IncidentEvent e) {
        return switch (e.type()) {
            case "opened", "created" -> "opened";
            case "resolved" -> "resolved";
            case "reopened" -> "reopened";
            case "expired" -> "expired";
            case "deleted" -> "deleted";
            case "joined" -> "joined";
            case "member-resolved", "member-expired" -> "updated";
            case "updated" -> updated(e);
            default -> null;
        };
    }

    /** Whether a subscription to {@code events} hears about a change of {@code type}. */
    public static boolean wanted(final List<String> events, final String type) {
        return events.contains(type) || events.contains(EVERY);
    }

    private static String updated(final IncidentEvent e) {
        if (e.to() != null && e.to() != e.from()) {
            if (e.to() == Status.ACKNOWLEDGED) {
                return "acknowledged";
            }
            if (e.to() == Status.RESOLVED) {
                return "resolved";
            }
            if (e.to() == Status.ACTIVE && e.from() != null && !e.from().isOpen()) {
                return "reopened";
            }
        }
        return "updated";
    }
}
