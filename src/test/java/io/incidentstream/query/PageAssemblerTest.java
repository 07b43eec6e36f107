package io.incidentstream.query;

import static io.incidentstream.query.ClusterFixture.CURSORS;
import static io.incidentstream.query.ClusterFixture.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.incidentstream.errors.BadRequestException;
import io.incidentstream.model.Incident;
import io.incidentstream.store.CursorCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How per-instance pages become the page a client sees: order, the next token, the count. */
class PageAssemblerTest {
    private static final Instant T = Instant.parse("2026-05-01T12:00:00Z");

    private final PageAssembler assembler = new PageAssembler(CURSORS);

    /** An incident created {@code createdMillis} and updated {@code updatedMillis} after T. */
    private static Incident at(final String id, final long createdMillis, final long updatedMillis) {
        return ClusterFixture.incident(id, ClusterFixture.TENANT)
                .createdAt(T.plusMillis(createdMillis))
                .updatedAt(T.plusMillis(updatedMillis))
                .build()
                .withoutTimeline();
    }

    private static Incident at(final String id, final long createdMillis) {
        return at(id, createdMillis, 0);
    }

    private static LocalPage page(final Set<Integer> partitions, final Long count, final Incident... data) {
        return new LocalPage(List.of(data), partitions, count);
    }

    private static List<String> ids(final IncidentPage page) {
        return page.data().stream().map(Incident::id).toList();
    }

    /** Three instances' pages in their own page order, ties on time across instances. */
    private static List<LocalPage> tiedPages(final boolean descending) {
        final List<Incident> a = List.of(at("incident.1.1", 5), at("incident.0.2", 5), at("incident.0.1", 3));
        final List<Incident> b = List.of(at("incident.2.1", 5), at("incident.3.9", 4));
        final List<Incident> c = List.of(at("incident.4.10", 5), at("incident.5.1", 3), at("incident.4.9", 1));
        return List.of(
                ordered(a, Set.of(0, 1), descending),
                ordered(b, Set.of(2, 3), descending),
                ordered(c, Set.of(4, 5), descending));
    }

    private static LocalPage ordered(
            final List<Incident> desc, final Set<Integer> partitions, final boolean descending) {
        final List<Incident> data = new ArrayList<>(desc);
        if (!descending) {
            Collections.reverse(data);
        }
        return new LocalPage(data, partitions, null);
    }

    @Test
    void shouldMergeNewestFirstBreakingTimeTiesByIdDescending() {
        final IncidentPage merged = assembler.assemble(query("limit=100"), tiedPages(true));
        assertEquals(
                List.of(
                        "incident.4.10",
                        "incident.2.1",
                        "incident.1.1",
                        "incident.0.2",
                        "incident.3.9",
                        "incident.5.1",
                        "incident.0.1",
                        "incident.4.9"),
                ids(merged));
        assertNull(merged.nextToken());
    }

    @Test
    void shouldMergeOldestFirstBreakingTimeTiesByIdAscending() {
        final IncidentPage merged = assembler.assemble(query("limit=100&order=asc"), tiedPages(false));
        assertEquals(
                List.of(
                        "incident.4.9",
                        "incident.0.1",
                        "incident.5.1",
                        "incident.3.9",
                        "incident.0.2",
                        "incident.1.1",
                        "incident.2.1",
                        "incident.4.10"),
                ids(merged));
    }

    @Test
    void shouldOrderByTheSortFieldAskedFor() {
        final List<LocalPage> pages = List.of(
                page(Set.of(0), null, at("incident.0.1", 1, 30), at("incident.0.2", 2, 10)),
                page(Set.of(1), null, at("incident.1.1", 3, 20)));
        assertEquals(
                List.of("incident.0.1", "incident.1.1", "incident.0.2"),
                ids(assembler.assemble(query("sort=updatedAt"), pages)));
    }

    @Test
    void shouldOrderAtMillisecondPrecisionLikeTheIndex() {
        // Sub-millisecond differences are below the index's resolution: the id must decide, as it does in the scan.
        final Incident early = ClusterFixture.incident("incident.1.2", ClusterFixture.TENANT)
                .createdAt(T.plusNanos(100))
                .build();
        final Incident late = ClusterFixture.incident("incident.1.1", ClusterFixture.TENANT)
                .createdAt(T.plusNanos(900_000))
                .build();
        final IncidentPage merged = assembler.assemble(
                query("order=asc"), List.of(page(Set.of(0), null, early), page(Set.of(1), null, late)));
        assertEquals(List.of("incident.1.1", "incident.1.2"), ids(merged));
    }

    @Test
    void shouldGiveNoTokenWhenEverythingFitsTheLimit() {
        assertNull(assembler.assemble(query("limit=8"), tiedPages(true)).nextToken(), "exactly limit items");
        assertNull(assembler.assemble(query("limit=9"), tiedPages(true)).nextToken());
        assertNull(
                assembler
                        .assemble(query("limit=1"), List.of(page(Set.of(0, 1, 2), null)))
                        .nextToken(),
                "empty list");
    }

    @Test
    void shouldGiveATokenWhenOneMoreItemThanTheLimitExistsAnywhere() {
        final IncidentPage seven = assembler.assemble(query("limit=7"), tiedPages(true));
        assertEquals(7, seven.data().size());
        assertNotNull(seven.nextToken());
        final IncidentPage one = assembler.assemble(
                query("limit=1"),
                List.of(page(Set.of(0), null, at("incident.0.1", 1)), page(Set.of(1), null, at("incident.1.1", 2))));
        assertEquals(List.of("incident.1.1"), ids(one));
        assertNotNull(one.nextToken());
    }

    @Test
    void shouldPointTheTokenAtTheLastItemOfThePage() {
        final ListQuery q = query("limit=3&status=ACTIVE");
        final IncidentPage page = assembler.assemble(q, tiedPages(true));
        assertEquals(List.of("incident.4.10", "incident.2.1", "incident.1.1"), ids(page));
        assertEquals(
                new CursorCodec.Position(T.plusMillis(5).toEpochMilli(), "incident.1.1"),
                CURSORS.decode(q.canonical(), page.nextToken()));

        final ListQuery byUpdate = query("limit=1&sort=updatedAt&order=asc");
        final IncidentPage first = assembler.assemble(
                byUpdate, List.of(page(Set.of(0), null, at("incident.0.7", 9, 2), at("incident.0.8", 1, 3))));
        assertEquals(
                new CursorCodec.Position(T.plusMillis(2).toEpochMilli(), "incident.0.7"),
                CURSORS.decode(byUpdate.canonical(), first.nextToken()));
    }

    @Test
    void shouldBindTheTokenToTheQueryButNotToTheLimit() {
        final IncidentPage page = assembler.assemble(query("limit=3&status=ACTIVE"), tiedPages(true));
        assertEquals(
                CURSORS.decode(query("limit=3&status=ACTIVE").canonical(), page.nextToken()),
                CURSORS.decode(query("limit=50&status=active").canonical(), page.nextToken()));
        assertThrows(
                BadRequestException.class,
                () -> CURSORS.decode(query("status=RESOLVED").canonical(), page.nextToken()));
        assertThrows(
                BadRequestException.class,
                () -> CURSORS.decode(query("status=ACTIVE&order=asc").canonical(), page.nextToken()));
    }

    @Test
    void shouldSumTheCountsOnlyWhenAsked() {
        final List<LocalPage> pages = List.of(
                page(Set.of(0, 1), 120L, at("incident.0.1", 1)),
                page(Set.of(2, 3), 0L),
                page(Set.of(4, 5), 7L, at("incident.4.1", 2)));
        assertEquals(127L, assembler.assemble(query("includeCount=true"), pages).count());
        assertEquals(true, assembler.assemble(query("includeCount=true"), pages).countExact());
        assertNull(assembler.assemble(query(""), pages).count());
        assertNull(assembler.assemble(query(""), pages).countExact());
    }

    @Test
    void shouldCallTheCountALowerBoundWhenAnyInstanceStoppedCounting() {
        final List<LocalPage> pages = List.of(
                new LocalPage(List.of(), Set.of(0, 1), 20_000L, false),
                new LocalPage(List.of(), Set.of(2, 3), 3L, true),
                // an instance of the version before counts were bounded sends no countExact: its count is exact
                new LocalPage(List.of(), Set.of(4, 5), 4L, null));
        final IncidentPage page =
                assembler.assemble(query("includeCount=true&createdAfter=2026-01-01T00:00:00Z"), pages);
        assertEquals(20_007L, page.count());
        assertEquals(false, page.countExact());
        assertEquals(
                true,
                assembler
                        .assemble(query("includeCount=true"), pages.subList(1, 3))
                        .countExact());
    }
}
