package io.incidentstream.grouping;

import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.AlertStatus;
import io.incidentstream.model.Incident;
import io.incidentstream.model.Lifecycle.Outcome;
import io.incidentstream.model.MemberAlert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * What one rule would have made of a run of alerts: the fold's own {@link GroupLifecycle} applied in
 * memory, with the group states, incidents and member mapping in maps instead of the partition's
 * stores, and the expiry sweep run in event time (each member expires on its own {@code validUntil}
 * before the next alert after it is applied). Nothing is written anywhere. The rule is taken alone:
 * alerts it does not match count as {@code alertsNotMatched} (they would stay one incident each, or go
 * to another rule).
 *
 * <p>Feed the alerts in the order the fold would see them (by time); call {@link #result} at the end.
 */
public final class GroupPreview {
    /** Member alert ids listed per sample incident at most. */
    public static final int SAMPLE_MEMBERS = 20;

    /** A sample incident, as the fold would have opened it. */
    public record SampleIncident(
            String groupKey,
            Map<String, String> groupLabels,
            String title,
            String status,
            String severity,
            Instant createdAt,
            Instant lastJoinedAt,
            long memberCount,
            List<String> alertIds) {}

    /**
     * The outcome.
     *
     * @param eventsMatched    alert events the rule took
     * @param alertsMatched    distinct alerts the rule took
     * @param alertsNotMatched distinct alerts of the run the rule did not take
     * @param incidents        incidents the rule would have opened (a reopen within the flap window is not a new one)
     * @param alertsHeld       distinct alerts held for {@code minAlerts} at some point
     * @param stillHeld        alerts still held at the end (their group never reached {@code minAlerts})
     * @param sample           the first incidents opened, at most the sample size
     */
    public record Result(
            long eventsMatched,
            long alertsMatched,
            long alertsNotMatched,
            long incidents,
            long alertsHeld,
            long stillHeld,
            List<SampleIncident> sample) {}

    private record Due(Instant at, String incidentId) {}

    private final Rule rule;
    private final GroupLifecycle lifecycle;
    private final int sampleSize;
    private final Map<String, GroupState> states = new HashMap<>();
    private final Map<String, Incident> incidents = new LinkedHashMap<>();
    private final Map<String, String> memberOf = new HashMap<>();
    private final PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> a.at().compareTo(b.at()));
    private final Set<String> matched = new HashSet<>();
    private final Set<String> notMatched = new HashSet<>();
    private final Set<String> held = new HashSet<>();
    private long events;
    private long nextId;

    public GroupPreview(final Rule rule, final GroupLifecycle lifecycle, final int sampleSize) {
        this.rule = rule;
        this.lifecycle = lifecycle;
        this.sampleSize = sampleSize;
    }

    /** Folds one alert event, as the fold would if the rule had been in place. */
    public void accept(final AlertEvent event) {
        final String alertKey = event.key().asString();
        if (!rule.matches(event)) {
            notMatched.add(alertKey);
            return;
        }
        expireUntil(event.checkedAt());
        events++;
        matched.add(alertKey);
        final Map<String, String> labels = rule.groupLabels(event);
        final GroupLifecycle.Group group =
                new GroupLifecycle.Group(rule, rule.groupKey(event.tenantId(), labels), labels);
        final GroupState state = states.getOrDefault(group.key(), GroupState.EMPTY);
        final Incident current = state.incidentId() == null ? null : incidents.get(state.incidentId());
        final String member = memberOf.get(memberKey(group.key(), event.alertId()));
        final GroupLifecycle.Result result = lifecycle.apply(
                group,
                state,
                current,
                member == null ? null : incidents.get(member),
                event,
                () -> "preview-" + ++nextId);
        if (result.outcome() == Outcome.HELD && event.status() == AlertStatus.FIRING) {
            held.add(alertKey);
        }
        states.put(group.key(), result.state());
        for (GroupLifecycle.Change change : result.changes()) {
            save(change.after());
            if (change.before() == null && change.after().alerts() != null) {
                for (MemberAlert m : change.after().alerts()) {
                    memberOf.put(
                            memberKey(group.key(), m.alertId()), change.after().id());
                }
            }
        }
        if (result.memberOf() != null) {
            memberOf.put(memberKey(group.key(), event.alertId()), result.memberOf());
        }
    }

    /** The outcome, with the members due before {@code end} expired. */
    public Result result(final Instant end) {
        expireUntil(end);
        long stillHeld = 0;
        for (GroupState s : states.values()) {
            stillHeld += s.pending().size();
        }
        final List<SampleIncident> sample = new ArrayList<>();
        for (Incident i : incidents.values()) {
            if (sample.size() >= sampleSize) {
                break;
            }
            sample.add(sampleOf(i));
        }
        return new Result(
                events,
                matched.size(),
                notMatched.size(),
                incidents.size(),
                held.size(),
                stillHeld,
                List.copyOf(sample));
    }

    /** Every incident opened so far, in the order opened, as it stands now. */
    public List<Incident> incidents() {
        return List.copyOf(incidents.values());
    }

    private void save(final Incident incident) {
        incidents.put(incident.id(), incident);
        if (incident.status().isOpen()) {
            final Instant next = GroupLifecycle.nextDue(incident);
            if (next != null) {
                due.add(new Due(next, incident.id()));
            }
        }
    }

    /** The fold's expiry sweep, in event time: every incident with a member due before {@code now}. */
    private void expireUntil(final Instant now) {
        while (!due.isEmpty() && due.peek().at().isBefore(now)) {
            final Due d = due.poll();
            final Incident incident = incidents.get(d.incidentId());
            if (incident == null || !incident.status().isOpen() || !d.at().equals(GroupLifecycle.nextDue(incident))) {
                continue; // superseded by a later save
            }
            final List<GroupLifecycle.Change> changes = lifecycle.expire(incident, rule.resolveWhen(), now);
            if (changes.isEmpty()) {
                continue;
            }
            save(changes.get(changes.size() - 1).after());
        }
    }

    private static SampleIncident sampleOf(final Incident i) {
        final List<String> ids = new ArrayList<>();
        if (i.alerts() != null) {
            for (MemberAlert m : i.alerts()) {
                if (ids.size() >= SAMPLE_MEMBERS) {
                    break;
                }
                ids.add(m.alertId());
            }
        }
        return new SampleIncident(
                i.groupKey(),
                i.groupLabels(),
                i.title(),
                i.status().name(),
                i.severity() == null ? null : i.severity().json(),
                i.createdAt(),
                i.lastJoinedAt(),
                i.memberCount() == null ? ids.size() : i.memberCount(),
                List.copyOf(ids));
    }

    private static String memberKey(final String groupKey, final String alertId) {
        return groupKey + "|" + alertId;
    }
}
