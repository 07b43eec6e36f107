package io.incidentstream.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.incidentstream.model.Incident;
import java.util.List;
import java.util.Set;

/**
 * One instance's answer to a list query: up to {@code limit + 1} matches after the cursor, in page
 * order, from exactly the {@code partitions} it served as active; {@code count} when asked. The
 * coordinator merges these and checks that the partitions add up to the whole topic.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LocalPage(List<Incident> data, Set<Integer> partitions, Long count) {

    public LocalPage {
        data = List.copyOf(data);
        partitions = Set.copyOf(partitions);
    }
}
