package io.incidentstream.query;

import static io.incidentstream.query.ClusterFixture.CURSORS;
import static io.incidentstream.query.ClusterFixture.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.incidentstream.errors.BadRequestException;
import io.incidentstream.model.Incident;
import io.incidentstream.testkit.FakePeerClient;
import io.incidentstream.testkit.FakePeerDirectory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Label matchers on the list a client sees from a three-instance group over six partitions, with a
 * scan budget small enough that matchers the index does not answer run out of it on most pages.
 * However short the pages, following {@code nextToken} lists every match exactly once in order.
 */
class LabelFilterClusterTest {
    private static final int PARTITIONS = 6;
    private static final int BUDGET = 40;
    private static final List<String> HOSTS = List.of("node-a:7070", "node-b:7070", "node-c:7070");
    private static final List<Set<Integer>> OWNED = List.of(Set.of(0, 1), Set.of(2, 3), Set.of(4, 5));

    private final ClusterFixture cluster = new ClusterFixture(PARTITIONS, BUDGET).fill(600, 7);
    private final Map<String, LocalIncidentQueries> instances = new LinkedHashMap<>();
    private final FakePeerClient peers = new FakePeerClient(instances, ClusterFixture::overTheWire);

    LabelFilterClusterTest() {
        for (int i = 0; i < HOSTS.size(); i++) {
            instances.put(HOSTS.get(i), cluster.instance(OWNED.get(i)));
        }
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

    /** Every page through nextToken, each from the next instance in turn; how many pages were short. */
    private record Listing(List<Incident> incidents, int shortPages) {}

    private Listing pageThrough(final String params) {
        final List<Incident> all = new ArrayList<>();
        int shortPages = 0;
        String token = null;
        for (int n = 0; n < 5_000; n++) {
            final ListQuery q = query(params + (token == null ? "" : "&nextToken=" + token));
            final IncidentPage page = coordinator(n % HOSTS.size()).list(q);
            all.addAll(page.data());
            if (page.nextToken() == null) {
                return new Listing(all, shortPages);
            }
            if (page.data().size() < q.limit()) {
                shortPages++;
            }
            token = page.nextToken();
        }
        return fail("no last page");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "label=service=svc-3&limit=10",
                "label=service=svc-3&limit=7&order=asc&sort=updatedAt",
                "label=team=team-1&status=ACTIVE,RESOLVED&limit=5",
                "label=service=svc-2&label=region=eu-1&limit=10",
                "label=region=eu-2&limit=10",
                "label=region=~eu-[13]&limit=25&order=asc",
                "label=region!~eu-[013]&severity=HIGH&limit=3",
                "label=team!=team-0&limit=50",
                "label=team=&limit=20",
                "label=service=~svc-(1|5)&label=team=~team-.*&limit=10&sort=updatedAt",
                "label=service=svc-4&alertTemplateId=template-2&limit=4"
            })
    void shouldListEveryMatchExactlyOnceInOrderWhateverTheBudget(final String params) {
        final List<Incident> expected = cluster.expected(query(params));
        assertFalse(expected.isEmpty(), "the fixture should match " + params);
        final Listing listed = pageThrough(params);
        assertEquals(ids(expected), ids(listed.incidents()), params);
        assertEquals(expected, listed.incidents(), params);
        assertEquals(
                listed.incidents().size(),
                new HashSet<>(ids(listed.incidents())).size(),
                "an incident was listed twice");
    }

    @Test
    void shouldAnswerAnIndexedEqualityWithFullPages() {
        final Listing listed = pageThrough("label=service=svc-3&limit=10");
        assertEquals(0, listed.shortPages(), "the index answers it: no page runs out of budget");
    }

    @Test
    void shouldEndAPageWhereTheBudgetRanOutAndGoOnFromThere() {
        final IncidentPage first = coordinator(0).list(query("label=region=eu-1&label=service=~svc-[06]&limit=20"));
        assertNotNull(first.nextToken(), "600 incidents cannot be scanned within " + BUDGET + " entries");
        assertTrue(
                first.data().size() < 20,
                "a page cut short by the budget: " + first.data().size());
        final Listing listed = pageThrough("label=region=eu-1&label=service=~svc-[06]&limit=20");
        assertTrue(listed.shortPages() > 0);
        assertEquals(
                ids(cluster.expected(query("label=region=eu-1&label=service=~svc-[06]&limit=20"))),
                ids(listed.incidents()));
    }

    @Test
    void shouldCountAnIndexedEqualityAndRefuseToCountWhatOnlyAScanCouldTell() {
        final IncidentPage counted = coordinator(1).list(query("label=service=svc-3&limit=1&includeCount=true"));
        assertEquals(
                cluster.expected(query("label=service=svc-3")).size(),
                counted.count().longValue());
        final BadRequestException refused = assertThrows(
                BadRequestException.class,
                () -> coordinator(1).list(query("label=region=eu-1&limit=1&includeCount=true")));
        assertTrue(refused.getMessage().contains("includeCount"), refused.getMessage());
    }

    @Test
    void shouldNotTakeAnotherFiltersCursor() {
        final IncidentPage page = coordinator(0).list(query("label=service=svc-3&limit=2"));
        assertThrows(
                BadRequestException.class,
                () -> coordinator(0).list(query("label=service=svc-4&limit=2&nextToken=" + page.nextToken())));
    }

    /**
     * Labels change while a client pages: every incident that matched throughout is listed exactly
     * once, nothing is listed twice, and each listed incident matched when its page was read.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"label=service=svc-3&limit=6", "label=service=~svc-[34]&label=region!=eu-0&limit=6"})
    void shouldKeepTheCursorStableWhileLabelsChange(final String params) {
        final Random random = new Random(params.hashCode());
        final Set<String> before = new HashSet<>(ids(cluster.expected(query(params))));
        final Set<String> changed = new HashSet<>();
        final List<String> listed = new ArrayList<>();
        String token = null;
        for (int n = 0; n < 1_000; n++) {
            final ListQuery q = query(params + (token == null ? "" : "&nextToken=" + token));
            final IncidentPage page = coordinator(n % HOSTS.size()).list(q);
            for (Incident i : page.data()) {
                assertTrue(q.matches(i), "listed without matching when read: " + i.id() + " " + i.labels());
                listed.add(i.id());
            }
            // between pages, some incidents move to another service and others into it
            for (int k = 0; k < 3; k++) {
                final Incident current = cluster.current(
                        cluster.all().get(random.nextInt(cluster.all().size())).id());
                final Map<String, String> labels = new TreeMap<>(current.labels());
                labels.put("service", "svc-" + random.nextInt(7));
                cluster.update(current, current.toBuilder().labels(labels).build());
                changed.add(current.id());
            }
            if (page.nextToken() == null) {
                break;
            }
            token = page.nextToken();
        }
        assertEquals(listed.size(), new HashSet<>(listed).size(), "an incident was listed twice: " + listed);
        final Set<String> after = new HashSet<>(ids(cluster.expected(query(params))));
        for (String id : before) {
            if (after.contains(id) && !changed.contains(id)) {
                assertTrue(listed.contains(id), id + " matched throughout and was skipped");
            }
        }
    }

    private static List<String> ids(final List<Incident> incidents) {
        return incidents.stream().map(Incident::id).toList();
    }
}
