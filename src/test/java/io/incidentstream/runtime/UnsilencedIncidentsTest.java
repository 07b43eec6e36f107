package io.incidentstream.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.model.Incident;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Source;
import io.incidentstream.model.Status;
import io.incidentstream.notify.Unsilenced;
import io.incidentstream.query.IncidentPage;
import io.incidentstream.query.IncidentQueries;
import io.incidentstream.query.ListQuery;
import io.incidentstream.silence.Silence;
import io.incidentstream.silence.SilenceMatcher;
import io.incidentstream.silence.SilenceView;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnsilencedIncidentsTest {
    private static final Instant ENDS = Instant.parse("2026-12-03T10:00:00Z");
    private static final Instant NOW = ENDS.plusSeconds(3);

    private final List<Incident> incidents = new ArrayList<>();
    private final List<ListQuery> asked = new ArrayList<>();
    private final SilenceView silences = new SilenceView();

    /** Pages of two, of the incidents whose status the query asks for. */
    private final IncidentQueries queries = new IncidentQueries() {
        @Override
        public IncidentPage list(final ListQuery q) {
            asked.add(q);
            final List<Incident> matching = incidents.stream()
                    .filter(i -> q.tenant().equals(i.tenantId()) && q.statuses().contains(i.status()))
                    .toList();
            final int from = q.nextToken() == null ? 0 : Integer.parseInt(q.nextToken());
            final int to = Math.min(matching.size(), from + 2);
            return new IncidentPage(
                    matching.subList(from, to), to < matching.size() ? Integer.toString(to) : null, null);
        }

        @Override
        public Incident get(final String tenant, final String id) {
            throw new UnsupportedOperationException();
        }
    };

    private final UnsilencedIncidents unsilenced =
            new UnsilencedIncidents(silences, queries, Clock.fixed(NOW, ZoneOffset.UTC));

    private static Incident incident(
            final String id, final Status status, final String service, final Instant created) {
        return new Incident.Builder()
                .id(id)
                .tenantId("acme")
                .alertId(id)
                .alertVersion(1)
                .status(status)
                .severity(Severity.HIGH)
                .source(Source.AUTOMATED)
                .createdAt(created)
                .updatedAt(created)
                .lastCheckedAt(created)
                .validUntil(NOW.plusSeconds(600))
                .labels(Map.of("service", service))
                .build();
    }

    private static Silence silence(final String id, final SilenceMatcher m, final Instant endsAt) {
        return new Silence(id, "acme", List.of(m), ENDS.minusSeconds(3600), endsAt, "ops", "", ENDS, null);
    }

    @Test
    void shouldTellOnlyOfOpenIncidentsTheEndedSilenceMutedAndNothingElseMutes() {
        final Instant before = ENDS.minusSeconds(60);
        incidents.add(incident("firing", Status.ACTIVE, "db", before));
        incidents.add(incident("acked", Status.ACKNOWLEDGED, "db", before));
        incidents.add(incident("resolved", Status.RESOLVED, "db", before));
        incidents.add(incident("still-muted", Status.ACTIVE, "db", before));
        incidents.add(incident("opened-after", Status.ACTIVE, "db", ENDS.plusSeconds(1)));
        incidents.add(incident("other-service", Status.ACTIVE, "web", before));
        silences.put(silence("ended", new SilenceMatcher("service", "db", false, true), ENDS));
        silences.put(
                silence("longer", new SilenceMatcher("alertId", "still-muted", false, true), ENDS.plusSeconds(3600)));

        final List<Unsilenced.Unsilencing> found = unsilenced.between(ENDS.minusSeconds(1), ENDS);

        assertEquals(
                List.of("firing", "acked"),
                found.stream().map(u -> u.incident().id()).toList());
        assertTrue(found.stream()
                .allMatch(u -> u.silenceId().equals("ended") && u.endedAt().equals(ENDS)));
        assertEquals(3, asked.size(), "every page of open incidents, two a page");
    }

    @Test
    void shouldReadNoIncidentWhenNoSilenceEnded() {
        incidents.add(incident("firing", Status.ACTIVE, "db", ENDS.minusSeconds(60)));
        silences.put(silence("later", new SilenceMatcher("service", "db", false, true), ENDS.plusSeconds(60)));
        assertTrue(unsilenced.between(ENDS.minusSeconds(1), ENDS).isEmpty());
        assertTrue(asked.isEmpty(), "a span without endings costs no read");
    }
}
