package io.incidentstream.query;

import java.util.Map;
import java.util.Set;

/**
 * One instance's part of a summary, from exactly the {@code partitions} it serves as active: open
 * incidents per {@code "STATUS/severity"} (exact, from the counts kept beside the index), and the
 * response times of incidents acknowledged or closed in the window as {@link DurationSketch}es,
 * which add up exactly across instances. {@code complete} is false when the scan of the window
 * stopped at its limit (the newest changes were counted, older ones in the window were not).
 */
public record LocalSummary(
        Set<Integer> partitions,
        Map<String, Long> open,
        DurationSketch acknowledge,
        DurationSketch resolvedByPerson,
        DurationSketch resolvedByAlert,
        DurationSketch expired,
        boolean complete) {

    public LocalSummary {
        partitions = Set.copyOf(partitions);
        open = Map.copyOf(open);
    }
}
