package io.incidentstream.grouping;

import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.AlertStatus;
import io.incidentstream.model.Incident;
import io.incidentstream.model.Lifecycle.Outcome;
import io.incidentstream.model.MemberAlert;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Source;
import io.incidentstream.model.Status;
import io.incidentstream.model.TimelineEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The lifecycle of a grouped incident as pure functions, beside {@link io.incidentstream.model.Lifecycle}
 * for incidents of one alert. No I/O, no clock.
 *
 * <ul>
 *   <li>A FIRING of a member still firing in an open incident folds into it (a re-check, not a join):
 *       the member's times and severity move, out-of-order and repeated checks change nothing.</li>
 *   <li>Any other FIRING joins the group's current incident if that is ACTIVE or ACKNOWLEDGED, its last
 *       member joined within {@code window} and it is younger than {@code maxAge}; else, within the
 *       flap window after it closed, it reopens it; else a new incident opens, once {@code minAlerts}
 *       distinct alerts matched within {@code window} (until then they are held in the group state).</li>
 *   <li>A RESOLVED resolves its member; the incident resolves per {@code resolveWhen}. A held alert
 *       that resolves is no longer held.</li>
 *   <li>{@link #expire}: each member expires on its own {@code validUntil}; the incident EXPIREs when
 *       none fires and every member expired ({@code all}: resolved or expired → RESOLVED when some resolved).</li>
 *   <li>Severity is the highest of the firing members, {@code validUntil} the latest of them, labels
 *       those every listed member shares.</li>
 * </ul>
 */
public final class GroupLifecycle {

    /** One state change of one incident, with its timeline entry (null for a re-check). */
    public record Change(Incident before, Incident after, String type, TimelineEntry transition) {}

    /**
     * What one alert event did.
     *
     * @param memberOf the incident the alert is now a member of (null: unchanged)
     */
    public record Result(Outcome outcome, List<Change> changes, GroupState state, String memberOf) {}

    /** The group an alert falls in, as the re-key step decided it. */
    public record Group(Rule rule, String key, Map<String, String> labels) {}

    private final Duration flapWindow;

    public GroupLifecycle(final Duration flapWindow) {
        this.flapWindow = Objects.requireNonNull(flapWindow, "flapWindow");
    }

    /**
     * Applies one alert event of a group.
     *
     * @param state   the group's state (never null)
     * @param current the group's current incident (state.incidentId), or null
     * @param member  the incident the alert last joined, or null
     */
    public Result apply(
            final Group group,
            final GroupState state,
            final Incident current,
            final Incident member,
            final AlertEvent e,
            final Supplier<String> newId) {
        final GroupState touched =
                new GroupState(state.incidentId(), group.rule().definition(), state.pending());
        return e.status() == AlertStatus.RESOLVED
                ? resolve(group, touched, member, e)
                : fire(group, touched, current, member, e, newId);
    }

    private Result fire(
            final Group group,
            final GroupState state,
            final Incident current,
            final Incident member,
            final AlertEvent e,
            final Supplier<String> newId) {
        if (member != null && member.status().isOpen()) {
            final MemberAlert listed = find(member, e.alertId());
            if (listed == null || listed.firing()) {
                return recheck(state, member, listed, e);
            }
        }
        if (current != null && current.status().isOpen() && joinable(group.rule(), current, e)) {
            final Incident joined =
                    join(group, current, e, current.status(), "joined").build();
            return changed(Outcome.JOINED, current, joined, "joined", state);
        }
        if (current != null && !current.status().isOpen() && reopens(current, e)) {
            final Incident reopened = join(group, current, e, Status.ACTIVE, "re-fired within the flap window")
                    .resolvedAt(null)
                    .acknowledgedAt(null)
                    .build();
            return changed(Outcome.REOPENED, current, reopened, "reopened", state);
        }
        return hold(group, state, e, newId);
    }

    /** A re-check of a member still firing (or one counted only): times, severity and counts move. */
    private static Result recheck(
            final GroupState state, final Incident incident, final MemberAlert listed, final AlertEvent e) {
        if (listed != null) {
            final int age = e.checkedAt().compareTo(listed.lastCheckedAt());
            if (age < 0) {
                return ignored(Outcome.IGNORED_OUT_OF_ORDER, state);
            }
            if (age == 0) {
                return ignored(Outcome.IGNORED_DUPLICATE, state);
            }
        }
        final List<MemberAlert> members = new ArrayList<>(incident.alerts());
        if (listed != null) {
            replace(members, updated(listed, e));
        }
        final Incident.Builder b = incident.toBuilder()
                .alertCount(incident.alertCount() + 1)
                .lastCheckedAt(later(incident.lastCheckedAt(), e.checkedAt()))
                .reportData(e.reportData() != null ? e.reportData() : incident.reportData());
        final Incident after =
                summarise(b, members, incident.validUntil(), e.validUntil()).build();
        final Incident dated = after.severity() == incident.severity()
                ? after
                : after.toBuilder()
                        .updatedAt(later(incident.updatedAt(), e.checkedAt()))
                        .build();
        return new Result(Outcome.FOLDED, List.of(new Change(incident, dated, "folded", null)), state, null);
    }

    /** Opens a new incident, or holds the alert until {@code minAlerts} distinct alerts matched in the window. */
    private Result hold(final Group group, final GroupState state, final AlertEvent e, final Supplier<String> newId) {
        final Rule rule = group.rule();
        final List<MemberAlert> pending = new ArrayList<>();
        final Instant since = e.checkedAt().minus(rule.window());
        for (MemberAlert held : state.pending()) {
            if (!held.alertId().equals(e.alertId()) && !held.lastCheckedAt().isBefore(since)) {
                pending.add(held);
            }
        }
        final MemberAlert previous = state.pending().stream()
                .filter(m -> m.alertId().equals(e.alertId()))
                .findFirst()
                .orElse(null);
        pending.add(previous == null ? newMember(rule, e) : updated(previous, e));
        if (pending.size() < rule.minAlerts()) {
            return new Result(Outcome.HELD, List.of(), new GroupState(state.incidentId(), state.rule(), pending), null);
        }
        final String id = newId.get();
        final String note = pending.size() == 1
                ? "rule " + rule.id()
                : pending.size() + " alerts matched rule " + rule.id() + " within " + rule.window();
        final TimelineEntry entry =
                new TimelineEntry(e.checkedAt(), null, Status.ACTIVE, TimelineEntry.SOURCE_ALERT, null, note);
        final Incident.Builder b = new Incident.Builder()
                .id(id)
                .tenantId(e.tenantId())
                .alertId(pending.get(0).alertId())
                .alertVersion(e.alertVersion())
                .alertTemplateId(e.alertTemplateId())
                .status(Status.ACTIVE)
                .title(e.title())
                .description(e.description())
                .source(Source.AUTOMATED)
                .createdAt(e.checkedAt())
                .updatedAt(e.checkedAt())
                .lastCheckedAt(e.checkedAt())
                .alertCount(pending.size())
                .reportData(e.reportData())
                .groupKey(group.key())
                .groupLabels(group.labels())
                .ruleId(rule.id())
                .memberCount((long) pending.size())
                .lastJoinedAt(e.checkedAt())
                .addTransition(entry);
        final Incident opened = titled(rule, summarise(b, pending, null, e.validUntil()), group.labels())
                .build();
        return new Result(
                Outcome.OPENED,
                List.of(new Change(null, opened, "opened", entry)),
                new GroupState(id, state.rule(), List.of()),
                id);
    }

    private Result resolve(final Group group, final GroupState state, final Incident member, final AlertEvent e) {
        final MemberAlert listed = member == null ? null : find(member, e.alertId());
        if (member == null || !member.status().isOpen() || listed == null || !listed.firing()) {
            final List<MemberAlert> pending = state.pending().stream()
                    .filter(m -> !m.alertId().equals(e.alertId()))
                    .toList();
            return pending.size() == state.pending().size()
                    ? ignored(Outcome.IGNORED_NOT_OPEN, state)
                    : new Result(
                            Outcome.HELD, List.of(), new GroupState(state.incidentId(), state.rule(), pending), null);
        }
        if (e.checkedAt().isBefore(listed.lastCheckedAt())) {
            return ignored(Outcome.IGNORED_OUT_OF_ORDER, state);
        }
        final MemberAlert resolved = new MemberAlert(
                listed.alertId(),
                MemberAlert.State.RESOLVED,
                listed.severity(),
                listed.labels(),
                listed.firstSeen(),
                e.checkedAt(),
                listed.validUntil(),
                listed.joinedBy());
        final List<MemberAlert> members = new ArrayList<>(member.alerts());
        replace(members, resolved);
        final boolean closes = switch (group.rule().resolveWhen()) {
            case FIRST -> true;
            case ALL -> members.stream().noneMatch(MemberAlert::firing);
            case NEVER -> false;
        };
        final Status to = closes ? Status.RESOLVED : member.status();
        final TimelineEntry entry = new TimelineEntry(
                e.checkedAt(),
                member.status(),
                to,
                TimelineEntry.SOURCE_ALERT,
                null,
                "alert " + e.alertId() + " resolved"
                        + (closes
                                ? " (resolveWhen " + group.rule().resolveWhen().json() + ")"
                                : ""));
        final Incident.Builder b = member.toBuilder()
                .status(to)
                .updatedAt(later(member.updatedAt(), e.checkedAt()))
                .lastCheckedAt(later(member.lastCheckedAt(), e.checkedAt()))
                .addTransition(entry);
        if (closes) {
            b.resolvedAt(e.checkedAt());
        }
        final Incident after = summarise(b, members, member.validUntil(), null).build();
        return new Result(
                closes ? Outcome.RESOLVED : Outcome.FOLDED,
                List.of(new Change(member, after, closes ? "resolved" : "member-resolved", entry)),
                state,
                null);
    }

    /**
     * Expires the members of an open grouped incident whose {@code validUntil} lies before {@code now},
     * one change each, and then the incident itself when no member fires any more.
     *
     * @param resolveWhen the group's rule's, or null when unknown (then as {@code all})
     */
    public List<Change> expire(final Incident incident, final ResolveWhen resolveWhen, final Instant now) {
        final List<Change> changes = new ArrayList<>();
        if (!incident.status().isOpen() || incident.alerts() == null) {
            return changes;
        }
        Incident at = incident;
        final List<MemberAlert> members = new ArrayList<>(incident.alerts());
        for (MemberAlert m : incident.alerts()) {
            if (m.firing() && m.validUntil() != null && m.validUntil().isBefore(now)) {
                replace(members, m.with(MemberAlert.State.EXPIRED));
                final TimelineEntry entry = new TimelineEntry(
                        m.validUntil(),
                        at.status(),
                        at.status(),
                        TimelineEntry.SOURCE_EXPIRY,
                        null,
                        "alert " + m.alertId() + " expired (no FIRING before its validUntil)");
                final Incident next = summarise(at.toBuilder().addTransition(entry), members, at.validUntil(), null)
                        .build();
                changes.add(new Change(at, next, "member-expired", entry));
                at = next;
            }
        }
        if (members.stream().anyMatch(MemberAlert::firing) || changes.isEmpty()) {
            return changes;
        }
        final boolean allExpired = members.stream().allMatch(m -> m.status() == MemberAlert.State.EXPIRED);
        final ResolveWhen rw = resolveWhen == null ? ResolveWhen.ALL : resolveWhen;
        final Status to = allExpired ? Status.EXPIRED : rw == ResolveWhen.NEVER ? null : Status.RESOLVED;
        if (to == null) {
            return changes;
        }
        final Instant when = at.validUntil() == null ? now : at.validUntil();
        final TimelineEntry entry = new TimelineEntry(
                when,
                at.status(),
                to,
                TimelineEntry.SOURCE_EXPIRY,
                null,
                allExpired ? "every member expired" : "every member resolved or expired");
        final Incident.Builder closed =
                at.toBuilder().status(to).updatedAt(later(at.updatedAt(), when)).addTransition(entry);
        if (to == Status.RESOLVED) {
            closed.resolvedAt(when);
        }
        changes.add(new Change(at, closed.build(), to == Status.EXPIRED ? "expired" : "resolved", entry));
        return changes;
    }

    /** When the incident next needs the expiry sweep: the earliest {@code validUntil} of a firing member. */
    public static Instant nextDue(final Incident incident) {
        Instant due = null;
        if (incident.alerts() != null) {
            for (MemberAlert m : incident.alerts()) {
                if (m.firing()
                        && m.validUntil() != null
                        && (due == null || m.validUntil().isBefore(due))) {
                    due = m.validUntil();
                }
            }
        }
        return due == null ? incident.validUntil() : due;
    }

    private static boolean joinable(final Rule rule, final Incident current, final AlertEvent e) {
        final Instant lastJoin = current.lastJoinedAt() != null ? current.lastJoinedAt() : current.createdAt();
        return !e.checkedAt().isAfter(lastJoin.plus(rule.window()))
                && !e.checkedAt().isAfter(current.createdAt().plus(rule.maxAge()));
    }

    private boolean reopens(final Incident closed, final AlertEvent e) {
        if (closed.status() == Status.RESOLVED
                && closed.resolvedAt() != null
                && e.checkedAt().isBefore(closed.resolvedAt())) {
            return false;
        }
        return !e.checkedAt().isAfter(closed.closedAt().plus(flapWindow));
    }

    /** The incident with the alert joined (or re-joined), as a transition to {@code status}. */
    private static Incident.Builder join(
            final Group group, final Incident incident, final AlertEvent e, final Status status, final String note) {
        final List<MemberAlert> members = new ArrayList<>(incident.alerts() == null ? List.of() : incident.alerts());
        final MemberAlert listed = find(incident, e.alertId());
        final boolean isNew = listed == null;
        if (isNew) {
            members.add(newMember(group.rule(), e));
        } else {
            replace(members, updated(listed, e));
        }
        final long count = incident.memberCount() == null ? members.size() : incident.memberCount() + (isNew ? 1 : 0);
        final TimelineEntry entry = new TimelineEntry(
                e.checkedAt(),
                incident.status(),
                status,
                TimelineEntry.SOURCE_ALERT,
                null,
                "alert " + e.alertId() + (status == incident.status() ? " " + note : " " + note + ", joined"));
        final Incident.Builder b = incident.toBuilder()
                .status(status)
                .memberCount(count)
                .alertCount(incident.alertCount() + 1)
                .lastCheckedAt(later(incident.lastCheckedAt(), e.checkedAt()))
                .lastJoinedAt(later(incident.lastJoinedAt(), e.checkedAt()))
                .updatedAt(later(incident.updatedAt(), e.checkedAt()))
                .reportData(e.reportData() != null ? e.reportData() : incident.reportData())
                .addTransition(entry);
        return titled(
                group.rule(), summarise(b, members, incident.validUntil(), e.validUntil()), incident.groupLabels());
    }

    private static Result changed(
            final Outcome outcome,
            final Incident before,
            final Incident after,
            final String type,
            final GroupState state) {
        final TimelineEntry entry = after.timeline().get(after.timeline().size() - 1);
        return new Result(outcome, List.of(new Change(before, after, type, entry)), state, after.id());
    }

    /** Severity, validUntil and common labels from the members; the member list itself. */
    private static Incident.Builder summarise(
            final Incident.Builder b, final List<MemberAlert> members, final Instant validUntil, final Instant extra) {
        Severity severity = null;
        Instant latest = null;
        Map<String, String> common = null;
        for (MemberAlert m : members) {
            if (m.firing()) {
                if (severity == null || m.severity().compareTo(severity) < 0) {
                    severity = m.severity();
                }
                latest = later(latest, m.validUntil());
            }
            if (common == null) {
                common = new HashMap<>(m.labels());
            } else {
                common.entrySet().removeIf(l -> !l.getValue().equals(m.labels().get(l.getKey())));
            }
        }
        final Instant until = latest != null ? latest : later(validUntil, extra);
        final Incident probe = b.build();
        return b.alerts(members)
                .severity(severity != null ? severity : probe.severity() != null ? probe.severity() : Severity.MEDIUM)
                .validUntil(until)
                .labels(common == null ? Map.of() : common);
    }

    private static Incident.Builder titled(
            final Rule rule, final Incident.Builder b, final Map<String, String> labels) {
        final Incident probe = b.build();
        final String title = rule.title(labels, probe.memberCount() == null ? 0 : probe.memberCount());
        return title == null ? b : b.title(title);
    }

    private static MemberAlert newMember(final Rule rule, final AlertEvent e) {
        return new MemberAlert(
                e.alertId(),
                MemberAlert.State.FIRING,
                e.severity(),
                e.labels(),
                e.checkedAt(),
                e.checkedAt(),
                e.validUntil(),
                rule.id());
    }

    private static MemberAlert updated(final MemberAlert m, final AlertEvent e) {
        return new MemberAlert(
                m.alertId(),
                MemberAlert.State.FIRING,
                e.severity(),
                e.labels().isEmpty() ? m.labels() : e.labels(),
                m.firstSeen(),
                later(m.lastCheckedAt(), e.checkedAt()),
                later(m.validUntil(), e.validUntil()),
                m.joinedBy());
    }

    private static MemberAlert find(final Incident incident, final String alertId) {
        if (incident.alerts() == null) {
            return null;
        }
        for (MemberAlert m : incident.alerts()) {
            if (m.alertId().equals(alertId)) {
                return m;
            }
        }
        return null;
    }

    private static void replace(final List<MemberAlert> members, final MemberAlert m) {
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).alertId().equals(m.alertId())) {
                members.set(i, m);
                return;
            }
        }
        members.add(m);
    }

    private static Result ignored(final Outcome outcome, final GroupState state) {
        return new Result(outcome, List.of(), state, null);
    }

    private static Instant later(final Instant a, final Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || !b.isAfter(a) ? a : b;
    }
}
