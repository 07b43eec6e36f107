package io.incidentstream.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The incident lifecycle as pure functions: given the latest incident of an alert (or none) and an
 * event, what happens. No I/O, no clock: the caller passes the time and a source of new ids.
 *
 * <ul>
 *   <li>FIRING with no incident, or after a closed one outside the flap window: a new ACTIVE incident.</li>
 *   <li>FIRING on an open incident: folded; {@code lastCheckedAt}/{@code validUntil} only move forward,
 *       the newest severity, title, reportData win, {@code alertCount} grows by one.</li>
 *   <li>FIRING within the flap window after RESOLVED/EXPIRED: the same incident reopens.</li>
 *   <li>RESOLVED on an open incident: RESOLVED.</li>
 *   <li>Any event older than {@code lastCheckedAt} is out of order and changes nothing; a FIRING at
 *       exactly {@code lastCheckedAt} is the same check delivered twice and changes nothing either,
 *       which makes producer retries and replays idempotent.</li>
 *   <li>{@link #expire}: an open incident whose {@code validUntil} lies before now becomes EXPIRED.</li>
 *   <li>{@code updatedAt} is the last change a reader would call an update: a status transition, or a
 *       FIRING that changes the severity, title, description, labels, alert version or template. A re-check that only confirms the
 *       alert ({@code lastCheckedAt}, {@code validUntil}, {@code alertCount}, {@code reportData}) leaves it,
 *       which keeps {@code sort=updatedAt} meaningful (recently changed, not recently checked) and costs
 *       the store no index move per check. It never moves backwards, also when a person changed the
 *       incident later than the alert's check; a FIRING checked before the incident was resolved does
 *       not reopen it.</li>
 * </ul>
 */
public final class Lifecycle {

    /** What an event did to the incidents of its alert. */
    public enum Outcome {
        OPENED,
        FOLDED,
        RESOLVED,
        REOPENED,
        EXPIRED,
        IGNORED_OUT_OF_ORDER,
        IGNORED_DUPLICATE,
        IGNORED_NOT_OPEN,
        /** A grouped alert joined an open incident of its group. */
        JOINED,
        /** A grouped alert was held: its rule wants more alerts before an incident opens. */
        HELD;

        /** Whether the event changed the incident (and is written), rather than being ignored. */
        public boolean changed() {
            return switch (this) {
                case OPENED, FOLDED, RESOLVED, REOPENED, EXPIRED, JOINED -> true;
                case IGNORED_OUT_OF_ORDER, IGNORED_DUPLICATE, IGNORED_NOT_OPEN, HELD -> false;
            };
        }
    }

    /**
     * What one event did.
     *
     * @param outcome  what happened
     * @param incident the incident after the change (unchanged input when ignored; null if there was none)
     * @param transition the status transition, or null for a fold or an ignored event
     */
    public record Result(Outcome outcome, Incident incident, TimelineEntry transition) {}

    private final Duration flapWindow;

    public Lifecycle(final Duration flapWindow) {
        this.flapWindow = Objects.requireNonNull(flapWindow, "flapWindow");
    }

    /** A re-fire this soon after an incident closed reopens it. */
    public Duration flapWindow() {
        return flapWindow;
    }

    /**
     * Applies one alert event to the latest incident of its alert key.
     *
     * @param latest the latest incident of {@code event.key()}, open or closed, or null
     * @param newId  called only when a new incident is opened
     */
    public Result apply(final Incident latest, final AlertEvent event, final Supplier<String> newId) {
        if (latest == null) {
            return event.status() == AlertStatus.FIRING
                    ? open(event, newId.get())
                    : ignored(Outcome.IGNORED_NOT_OPEN, null);
        }
        final int age = event.checkedAt().compareTo(latest.lastCheckedAt());
        if (age < 0) {
            return ignored(Outcome.IGNORED_OUT_OF_ORDER, latest);
        }
        if (event.status() == AlertStatus.RESOLVED) {
            return latest.status().isOpen() ? resolve(latest, event) : ignored(Outcome.IGNORED_NOT_OPEN, latest);
        }
        if (age == 0) {
            return ignored(Outcome.IGNORED_DUPLICATE, latest);
        }
        if (latest.status().isOpen()) {
            return new Result(Outcome.FOLDED, fold(latest, event).build(), null);
        }
        if (resolvedLater(latest, event)) {
            return ignored(Outcome.IGNORED_OUT_OF_ORDER, latest);
        }
        return withinFlapWindow(latest, event) ? reopen(latest, event) : open(event, newId.get());
    }

    /** Expires an open incident whose {@code validUntil} lies before {@code now}; else nothing changes. */
    public Result expire(final Incident incident, final Instant now) {
        if (!incident.status().isOpen() || !incident.validUntil().isBefore(now)) {
            return ignored(Outcome.IGNORED_NOT_OPEN, incident);
        }
        final Instant at = incident.validUntil();
        final TimelineEntry entry = new TimelineEntry(
                at,
                incident.status(),
                Status.EXPIRED,
                TimelineEntry.SOURCE_EXPIRY,
                null,
                "no FIRING before validUntil");
        final Incident expired = incident.toBuilder()
                .status(Status.EXPIRED)
                .updatedAt(later(incident.updatedAt(), at))
                .addTransition(entry)
                .build();
        return new Result(Outcome.EXPIRED, expired, entry);
    }

    private Result open(final AlertEvent e, final String id) {
        final TimelineEntry entry =
                new TimelineEntry(e.checkedAt(), null, Status.ACTIVE, TimelineEntry.SOURCE_ALERT, null, null);
        final Incident incident = new Incident.Builder()
                .id(id)
                .tenantId(e.tenantId())
                .alertId(e.alertId())
                .alertVersion(e.alertVersion())
                .alertTemplateId(e.alertTemplateId())
                .status(Status.ACTIVE)
                .severity(e.severity())
                .title(e.title())
                .description(e.description())
                .source(Source.AUTOMATED)
                .createdAt(e.checkedAt())
                .updatedAt(e.checkedAt())
                .lastCheckedAt(e.checkedAt())
                .validUntil(e.validUntil())
                .alertCount(1)
                .reportData(e.reportData())
                .labels(e.labels())
                .addTransition(entry)
                .build();
        return new Result(Outcome.OPENED, incident, entry);
    }

    private Result resolve(final Incident latest, final AlertEvent e) {
        final TimelineEntry entry = new TimelineEntry(
                e.checkedAt(), latest.status(), Status.RESOLVED, TimelineEntry.SOURCE_ALERT, null, null);
        final Incident resolved = latest.toBuilder()
                .status(Status.RESOLVED)
                .resolvedAt(e.checkedAt())
                .updatedAt(later(latest.updatedAt(), e.checkedAt()))
                .lastCheckedAt(e.checkedAt())
                .addTransition(entry)
                .build();
        return new Result(Outcome.RESOLVED, resolved, entry);
    }

    private Result reopen(final Incident latest, final AlertEvent e) {
        final TimelineEntry entry = new TimelineEntry(
                e.checkedAt(),
                latest.status(),
                Status.ACTIVE,
                TimelineEntry.SOURCE_ALERT,
                null,
                "re-fired within the flap window");
        final Incident reopened = fold(latest, e)
                .status(Status.ACTIVE)
                .resolvedAt(null)
                .acknowledgedAt(null)
                .updatedAt(later(latest.updatedAt(), e.checkedAt()))
                .addTransition(entry)
                .build();
        return new Result(Outcome.REOPENED, reopened, entry);
    }

    /** Folds a newer FIRING into an incident; the caller has checked that the event is newer. */
    private static Incident.Builder fold(final Incident i, final AlertEvent e) {
        return i.toBuilder()
                .lastCheckedAt(e.checkedAt())
                .updatedAt(changesContent(i, e) ? later(i.updatedAt(), e.checkedAt()) : i.updatedAt())
                .validUntil(later(i.validUntil(), e.validUntil()))
                .alertVersion(e.alertVersion())
                .alertTemplateId(e.alertTemplateId())
                .severity(e.severity())
                .title(e.title() != null ? e.title() : i.title())
                .description(e.description() != null ? e.description() : i.description())
                .reportData(e.reportData() != null ? e.reportData() : i.reportData())
                .labels(e.labels().isEmpty() ? i.labels() : e.labels())
                .alertCount(i.alertCount() + 1);
    }

    /**
     * Whether a FIRING changes what the incident says (severity, title, description, labels, alert
     * version or template), not just confirms it.
     */
    private static boolean changesContent(final Incident i, final AlertEvent e) {
        return e.severity() != i.severity()
                || e.alertVersion() != i.alertVersion()
                || !Objects.equals(e.alertTemplateId(), i.alertTemplateId())
                || (e.title() != null && !e.title().equals(i.title()))
                || (e.description() != null && !e.description().equals(i.description()))
                || (!e.labels().isEmpty() && !e.labels().equals(i.labels()));
    }

    /**
     * A check from before the incident was resolved (by its alert or by a person) says nothing new:
     * the resolve is the later decision. (An EXPIRED incident is different: a late FIRING checked
     * before validUntil proves the alert was still firing, so it reopens.)
     */
    private static boolean resolvedLater(final Incident closed, final AlertEvent e) {
        return closed.status() == Status.RESOLVED
                && closed.resolvedAt() != null
                && e.checkedAt().isBefore(closed.resolvedAt());
    }

    private boolean withinFlapWindow(final Incident closed, final AlertEvent e) {
        return !e.checkedAt().isAfter(closed.closedAt().plus(flapWindow));
    }

    private static Instant later(final Instant a, final Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    private static Result ignored(final Outcome outcome, final Incident incident) {
        return new Result(outcome, incident, null);
    }
}
