package io.incidentstream.query;

import io.incidentstream.errors.NotFoundException;
import io.incidentstream.model.Incident;
import io.incidentstream.model.Status;
import io.incidentstream.silence.SilenceLabels;
import io.incidentstream.silence.Silences;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Alertmanager's API v2 read side over our incidents: each open incident is one alert group, holding
 * its one alert, or, for a grouped incident, its firing member alerts ({@link IncidentAlerts}). Knows
 * nothing of HTTP.
 *
 * <p><b>Cost.</b> Alertmanager answers with every alert it holds, however many; here a walk reads the
 * tenant's open incidents through the list query ({@link IncidentQueries#list}, pages of
 * {@link ListQuery#MAX_LIMIT}, so scatter-gather and O(limit) pages as every list), newest first, and
 * stops once it has {@code maxAlerts} matches or has read {@value #SCAN_FACTOR} × {@code maxAlerts}
 * incidents. A grouped incident costs one more read, of the incident with its members. Stopping early is reported ({@link AlertmanagerShapes.Bounded#truncated}); the alerts
 * of one answer are then the newest matches.
 */
public final class AlertmanagerReads {
    /** How many incidents a walk may read per alert it may return. */
    public static final int SCAN_FACTOR = 10;

    /** {@code ALERTMANAGER_API_MAX_ALERTS}' default. */
    public static final int DEFAULT_MAX_ALERTS = 1000;

    private final IncidentQueries queries;
    private final AlertmanagerStatusSource status;
    private final Clock clock;
    private final int maxAlerts;
    private final Silences silences;

    public AlertmanagerReads(
            final IncidentQueries queries,
            final AlertmanagerStatusSource status,
            final Clock clock,
            final int maxAlerts) {
        this(queries, status, clock, maxAlerts, Silences.NONE);
    }

    /** @param silences what marks an alert {@code suppressed} with {@code silencedBy} */
    public AlertmanagerReads(
            final IncidentQueries queries,
            final AlertmanagerStatusSource status,
            final Clock clock,
            final int maxAlerts,
            final Silences silences) {
        if (maxAlerts < 1) {
            throw new IllegalArgumentException("maxAlerts must be positive");
        }
        this.queries = queries;
        this.status = status;
        this.clock = clock;
        this.maxAlerts = maxAlerts;
        this.silences = silences;
    }

    /** The most alerts (or groups) one answer holds. */
    public int maxAlerts() {
        return maxAlerts;
    }

    /** {@code GET /api/v2/alerts}: the matching alerts, sorted by fingerprint as Alertmanager sorts them. */
    public AlertmanagerShapes.Bounded<AlertmanagerShapes.Alert> alerts(final AlertmanagerFilter filter) {
        final AlertmanagerShapes.Bounded<Matched> found = walk(filter);
        final List<AlertmanagerShapes.Alert> sorted = new ArrayList<>();
        found.items().forEach(m -> sorted.addAll(m.alerts()));
        sorted.sort(Comparator.comparing(AlertmanagerShapes.Alert::fingerprint));
        return new AlertmanagerShapes.Bounded<>(sorted, found.truncated());
    }

    /**
     * {@code GET /api/v2/alerts/groups}: one group per open incident that has a matching alert. A grouped
     * incident's group has its group labels ({@link IncidentAlerts#groupLabels}) and its matching member
     * alerts; an incident of one alert is a group of that alert, labelled with the alert's labels.
     */
    public AlertmanagerShapes.Bounded<AlertmanagerShapes.AlertGroup> groups(final AlertmanagerFilter filter) {
        final AlertmanagerShapes.Bounded<Matched> found = walk(filter);
        final List<AlertmanagerShapes.AlertGroup> groups = found.items().stream()
                .map(m -> {
                    final Map<String, String> labels = IncidentAlerts.groupLabels(m.incident());
                    return new AlertmanagerShapes.AlertGroup(
                            labels != null ? labels : m.alerts().get(0).labels(),
                            Map.of(),
                            IncidentAlerts.RECEIVER,
                            m.alerts());
                })
                .toList();
        return new AlertmanagerShapes.Bounded<>(groups, found.truncated());
    }

    /** An open incident and those of its alerts that pass the filter (at least one). */
    private record Matched(Incident incident, List<AlertmanagerShapes.Alert> alerts) {}

    /** {@code GET /api/v2/receivers}: the one receiver every alert is routed to, if it passes the filter. */
    public List<AlertmanagerShapes.Receiver> receivers(final AlertmanagerFilter filter) {
        return filter.acceptsReceiver(IncidentAlerts.RECEIVER.name(), Map.of())
                ? List.of(IncidentAlerts.RECEIVER)
                : List.of();
    }

    /** {@code GET /api/v2/status}. */
    public AlertmanagerShapes.Status status() {
        return status.status();
    }

    /**
     * The open incidents with a matching alert, newest first, until {@code maxAlerts} alerts (the last
     * incident's cut short if need be) or the scan bound.
     */
    private AlertmanagerShapes.Bounded<Matched> walk(final AlertmanagerFilter filter) {
        final List<Matched> out = new ArrayList<>();
        if (!filter.acceptsReceiver(IncidentAlerts.RECEIVER.name(), Map.of())) {
            return new AlertmanagerShapes.Bounded<>(out, false);
        }
        final Instant now = clock.instant();
        final long scanLimit = (long) maxAlerts * SCAN_FACTOR;
        long scanned = 0;
        int alerts = 0;
        String token = null;
        do {
            final IncidentPage page = queries.list(page(filter, token, silences != Silences.NONE));
            for (Incident listed : page.data()) {
                scanned++;
                final Incident incident = withMembers(listed);
                if (incident == null) {
                    continue;
                }
                final List<AlertmanagerShapes.Alert> matching = IncidentAlerts.all(
                                incident, silences.silencedBy(incident.tenantId(), SilenceLabels.of(incident), now))
                        .stream()
                        .filter(a -> IncidentAlerts.current(a, now)
                                && filter.passes(a.status())
                                && filter.matches(a.labels()))
                        .toList();
                if (matching.isEmpty()) {
                    continue;
                }
                if (alerts + matching.size() > maxAlerts) {
                    if (alerts < maxAlerts) {
                        out.add(new Matched(incident, matching.subList(0, maxAlerts - alerts)));
                    }
                    return new AlertmanagerShapes.Bounded<>(out, true);
                }
                out.add(new Matched(incident, matching));
                alerts += matching.size();
            }
            token = page.nextToken();
            if (token != null && scanned >= scanLimit) {
                return new AlertmanagerShapes.Bounded<>(out, true);
            }
        } while (token != null);
        return new AlertmanagerShapes.Bounded<>(out, false);
    }

    /**
     * A grouped incident as {@link IncidentQueries#get} gives it, with its members (a list page leaves
     * them out); null if it was deleted since the page was read. An incident of one alert as listed.
     */
    private Incident withMembers(final Incident listed) {
        if (!listed.grouped()) {
            return listed;
        }
        try {
            return queries.get(listed.tenantId(), listed.id());
        } catch (NotFoundException e) {
            return null;
        }
    }

    /**
     * Open incidents, newest first. An acknowledged incident is a suppressed alert, and so is a silenced
     * one; without silences an active incident is an active alert, so {@code active=false} needs only the
     * acknowledged ones.
     */
    private static ListQuery page(final AlertmanagerFilter filter, final String token, final boolean silencing) {
        final Set<Status> statuses = filter.active() || silencing
                ? EnumSet.of(Status.ACTIVE, Status.ACKNOWLEDGED)
                : EnumSet.of(Status.ACKNOWLEDGED);
        return ListQuery.byStatus(filter.tenant(), statuses, true, token);
    }
}
