package io.incidentstream.runtime;

import io.incidentstream.model.Incident;
import io.incidentstream.model.LabelMatcher;
import io.incidentstream.model.Status;
import io.incidentstream.notify.Unsilenced;
import io.incidentstream.query.IncidentPage;
import io.incidentstream.query.IncidentQueries;
import io.incidentstream.query.ListQuery;
import io.incidentstream.silence.Silence;
import io.incidentstream.silence.SilenceLabels;
import io.incidentstream.silence.Silences;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link Unsilenced} from the silences and the incidents: for each silence that stopped muting in the
 * span, the open incidents of its tenant (read over the cluster, a page at a time) that its matchers
 * select, that existed when it ended, and that no other silence mutes then or now. Endings are rare, so
 * reading a tenant's open incidents for them is affordable; a span without endings reads nothing.
 */
final class UnsilencedIncidents implements Unsilenced {
    private static final Set<Status> OPEN = Set.of(Status.ACTIVE, Status.ACKNOWLEDGED);

    private final Silences silences;
    private final IncidentQueries incidents;
    private final Clock clock;

    UnsilencedIncidents(final Silences silences, final IncidentQueries incidents, final Clock clock) {
        this.silences = silences;
        this.incidents = incidents;
        this.clock = clock;
    }

    @Override
    public List<Unsilencing> between(final Instant from, final Instant to) {
        final List<Silences.Ending> endings = silences.endedBetween(from, to);
        if (endings.isEmpty()) {
            return List.of();
        }
        final Instant now = clock.instant();
        final Map<String, List<Incident>> open = new HashMap<>();
        final List<Unsilencing> out = new ArrayList<>();
        for (Silences.Ending e : endings) {
            final Silence s = e.silence();
            final List<LabelMatcher> matchers = s.compiled();
            for (Incident i : open.computeIfAbsent(s.tenantId(), this::open)) {
                final Map<String, String> labels = SilenceLabels.of(i);
                if (i.createdAt().isBefore(e.endedAt())
                        && Silence.matches(matchers, labels)
                        && silences.silencedBy(s.tenantId(), labels, e.endedAt())
                                .isEmpty()
                        && silences.silencedBy(s.tenantId(), labels, now).isEmpty()) {
                    out.add(new Unsilencing(s.id(), e.endedAt(), i));
                }
            }
        }
        return out;
    }

    /** The tenant's open incidents, every page. */
    private List<Incident> open(final String tenant) {
        final List<Incident> out = new ArrayList<>();
        String token = null;
        do {
            final IncidentPage page = incidents.list(ListQuery.byStatus(tenant, OPEN, false, token));
            out.addAll(page.data());
            token = page.nextToken();
        } while (token != null);
        return out;
    }
}
