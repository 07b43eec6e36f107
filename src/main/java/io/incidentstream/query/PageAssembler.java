package io.incidentstream.query;

import io.incidentstream.model.Incident;
import io.incidentstream.store.CursorCodec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Merges per-instance pages into the page the client sees. Each instance returned up to
 * {@code limit + 1} items after the same cursor, so the first {@code limit} of the merge are the
 * global page and a {@code limit + 1}-th item anywhere means there is a next page.
 *
 * <p>An instance whose scan ran out of budget ({@link LocalPage#scannedTo}) has looked only up to
 * its position, so the merged page stops at the earliest such position: items of other instances
 * beyond it are left for the next page, which starts right after it. Such a page may hold fewer than
 * {@code limit} items, even none, and still have a {@code nextToken}; nothing is skipped.
 */
public final class PageAssembler {
    private final CursorCodec cursors;

    public PageAssembler(final CursorCodec cursors) {
        this.cursors = cursors;
    }

    public IncidentPage assemble(final ListQuery query, final List<LocalPage> pages) {
        final Comparator<Incident> inPageOrder = Comparator.comparing(i -> position(query, i), positionOrder(query));
        final List<Incident> merged = new ArrayList<>();
        pages.forEach(p -> merged.addAll(p.data()));
        merged.sort(inPageOrder);
        final CursorCodec.Position scannedTo = earliestScannedTo(query, pages);
        if (scannedTo != null) {
            merged.removeIf(i -> positionOrder(query).compare(position(query, i), scannedTo) > 0);
        }
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
            final String token = scannedTo == null ? null : cursors.encode(query.canonical(), scannedTo);
            return new IncidentPage(List.copyOf(merged), token, count, exact, staleness(pages));
        }
        final List<Incident> page = List.copyOf(merged.subList(0, query.limit()));
        final Incident last = page.get(page.size() - 1);
        final String token = cursors.encode(query.canonical(), position(query, last));
        return new IncidentPage(page, token, count, exact, staleness(pages));
    }

    /** The largest lag of the standby copies some partitions were read from; null when none was. */
    private static Long staleness(final List<LocalPage> pages) {
        return pages.stream()
                .map(LocalPage::staleness)
                .filter(Objects::nonNull)
                .max(Long::compare)
                .orElse(null);
    }

    private static CursorCodec.Position earliestScannedTo(final ListQuery query, final List<LocalPage> pages) {
        return pages.stream()
                .map(LocalPage::scannedTo)
                .filter(Objects::nonNull)
                .min(positionOrder(query))
                .orElse(null);
    }

    static CursorCodec.Position position(final ListQuery query, final Incident i) {
        return new CursorCodec.Position(query.sort().timeOf(i), i.id());
    }

    /** Positions in the page's order. */
    static Comparator<CursorCodec.Position> positionOrder(final ListQuery query) {
        final Comparator<CursorCodec.Position> ascending =
                Comparator.comparingLong(CursorCodec.Position::time).thenComparing(CursorCodec.Position::id);
        return query.descending() ? ascending.reversed() : ascending;
    }
}
