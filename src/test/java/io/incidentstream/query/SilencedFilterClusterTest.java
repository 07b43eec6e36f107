package io.incidentstream.query;

import static io.incidentstream.query.ClusterFixture.CURSORS;
import static io.incidentstream.query.ClusterFixture.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.incidentstream.errors.BadRequestException;
import io.incidentstream.model.Incident;
import io.incidentstream.silence.Silence;
import io.incidentstream.silence.SilenceMatcher;
import io.incidentstream.silence.SilenceView;
import io.incidentstream.testkit.FakePeerClient;
import io.incidentstream.testkit.FakePeerDirectory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code silenced=true|false} on the list a client sees from a three-instance group, with a scan budget
 * small enough that pages run out of it: every instance holds the silences, so each filters its own
 * partitions, and following {@code nextToken} lists every match exactly once in order.
 */
class SilencedFilterClusterTest {
    private static final int PARTITIONS = 6;
    private static final List<String> HOSTS = List.of("node-a:7070", "node-b:7070", "node-c:7070");
    private static final List<Set<Integer>> OWNED = List.of(Set.of(0, 1), Set.of(2, 3), Set.of(4, 5));
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    private final ClusterFixture cluster = new ClusterFixture(PARTITIONS, 40).fill(300, 11);
    private final SilenceView silences = new SilenceView();
    private final Map<String, LocalIncidentQueries> instances = new LinkedHashMap<>();
    private final FakePeerClient peers = new FakePeerClient(instances, ClusterFixture::overTheWire);

    SilencedFilterClusterTest() {
        for (int i = 0; i < HOSTS.size(); i++) {
            instances.put(
                    HOSTS.get(i), cluster.instance(OWNED.get(i)).silences(silences, Clock.fixed(NOW, ZoneOffset.UTC)));
        }
        silences.put(new Silence(
                "s-1",
                ClusterFixture.TENANT,
                List.of(new SilenceMatcher("service", "svc-3", false, true)),
                NOW.minusSeconds(60),
                NOW.plusSeconds(60),
                "ops",
                "svc-3 deploy",
                NOW,
                null));
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    private ClusterIncidentQueries coordinator(final int self) {
        final FakePeerDirectory d = new FakePeerDirectory(HOSTS.get(self), PARTITIONS).hosts(HOSTS);
        for (int i = 0; i < HOSTS.size(); i++) {
            for (int p : OWNED.get(i)) {
                d.owner(p, HOSTS.get(i));
            }
        }
        return new ClusterIncidentQueries(instances.get(HOSTS.get(self)), d, peers, new PageAssembler(CURSORS));
    }

    private List<String> pageThrough(final String params) {
        final List<String> all = new ArrayList<>();
        String token = null;
        for (int n = 0; n < 5_000; n++) {
            final IncidentPage page =
                    coordinator(n % HOSTS.size()).list(query(params + (token == null ? "" : "&nextToken=" + token)));
            page.data().forEach(i -> all.add(i.id()));
            if (page.nextToken() == null) {
                return all;
            }
            token = page.nextToken();
        }
        return fail("no last page");
    }

    private List<String> expected(final String params) {
        return cluster.expected(query(params)).stream().map(Incident::id).toList();
    }

    @Test
    void shouldListWhatASilenceMutesAndWhatItDoesNot() {
        final List<String> muted = expected("label=service=svc-3&limit=10");
        assertFalse(muted.isEmpty());
        assertEquals(muted, pageThrough("silenced=true&limit=10"));
        assertEquals(expected("label=service!=svc-3&limit=10"), pageThrough("silenced=false&limit=10"));
        assertEquals(
                expected("label=service!=svc-3&label=region=eu-1&limit=4&order=asc"),
                pageThrough("silenced=false&label=region=eu-1&limit=4&order=asc"));
    }

    @Test
    void shouldRefuseToCountSilencedIncidentsAndAnotherFiltersCursor() {
        assertThrows(BadRequestException.class, () -> coordinator(0).list(query("silenced=true&includeCount=true")));
        final IncidentPage page = coordinator(0).list(query("silenced=true&limit=2"));
        assertThrows(
                BadRequestException.class,
                () -> coordinator(0).list(query("silenced=false&limit=2&nextToken=" + page.nextToken())));
    }
}
