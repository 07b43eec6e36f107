package io.incidentstream.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.incidentstream.model.Incident;
import io.incidentstream.store.CursorCodec;
import java.util.List;
import java.util.Set;

/**
 * One instance's answer to a list query: up to {@code limit + 1} matches after the cursor, in page
 * order, from exactly the {@code partitions} it served as active; {@code count} when asked, and
 * whether it is exact ({@link LocalCount}; absent from an instance of an earlier version, whose
 * counts were always exact). The coordinator merges these and checks that the partitions add up
 * to the whole topic.
 *
 * <p>{@code staleness}: set when the page was read from standby copies of {@code partitions}
 * (their active was away): the largest changelog lag among them, in records.
 *
 * <p>{@code scannedTo}: set when a budgeted scan ({@link IndexPlan#budgeted}) ran out of budget
 * before it found {@code limit + 1} matches: the last index position it examined. Every match up to
 * there is in {@code data}; beyond it, this instance has not looked.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LocalPage(
        List<Incident> data,
        Set<Integer> partitions,
        Long count,
        Boolean countExact,
        CursorCodec.Position scannedTo,
        Long staleness) {

    public LocalPage {
        data = List.copyOf(data);
        partitions = Set.copyOf(partitions);
    }

    /** A page from active tasks (not stale). */
    public LocalPage(
            final List<Incident> data,
            final Set<Integer> partitions,
            final Long count,
            final Boolean countExact,
            final CursorCodec.Position scannedTo) {
        this(data, partitions, count, countExact, scannedTo, null);
    }

    /** A page whose count, if any, is exact. */
    public LocalPage(final List<Incident> data, final Set<Integer> partitions, final Long count) {
        this(data, partitions, count, count == null ? null : Boolean.TRUE, null);
    }

    /** A complete page (not cut short by a scan budget). */
    public LocalPage(final List<Incident> data, final Set<Integer> partitions, final Long count, final Boolean exact) {
        this(data, partitions, count, exact, null);
    }

    /** Whether the count is exact: true unless this instance said otherwise. */
    boolean exactCount() {
        return !Boolean.FALSE.equals(countExact);
    }
}
