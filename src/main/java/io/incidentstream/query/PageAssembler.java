package io.incidentstream.query;

import io.incidentstream.model.Incident;
import io.incidentstream.store.CursorCodec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Merges per-instance pages into the page the client sees. Each instance returned up to
 * {@code limit + 1} items after the same cursor, so the first {@code limit} of the merge are the
 * global page and a {@code limit + 1}-th item anywhere means there is a next page.
 */
public final class PageAssembler {
    private final CursorCodec cursors;

    public PageAssembler(final CursorCodec cursors) {
        this.cursors = cursors;
    }

    public IncidentPage assemble(final ListQuery query, final List<LocalPage> pages) {
        final Comparator<Incident> ascending =
                Comparator.<Incident>comparingLong(i -> query.sort().timeOf(i)).thenComparing(Incident::id);
        final List<Incident> merged = new ArrayList<>();
        pages.forEach(p -> merged.addAll(p.data()));
        merged.sort(query.descending() ? ascending.reversed() : ascending);
        Long count = null;
        Boolean exact = null;
        if (query.includeCount()) {
            count = pages.stream()
                    .mapToLong(p -> p.count() == null ? 0 : p.count())
                    .sum();
            // A sum with one lower bound in it is a lower bound.
            exact = pages.stream().allMatch(LocalPage::exactCount);
        }
        if (merged.size() <= query.limit()) {
            return new IncidentPage(List.copyOf(merged), null, count, exact);
        }
        final List<Incident> page = List.copyOf(merged.subList(0, query.limit()));
        final Incident last = page.get(page.size() - 1);
        final String token = cursors.encode(
                query.canonical(), new CursorCodec.Position(query.sort().timeOf(last), last.id()));
        return new IncidentPage(page, token, count, exact);
    }
}
