package io.incidentstream.query;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which partitions the parts of a scatter-gather answer covered: a complete answer has every
 * partition exactly once, so none is missing (its incidents left out) and none served twice (counted
 * twice).
 */
record PartitionCoverage(Set<Integer> missing, Set<Integer> twice) {
    /** The coverage of {@code parts}, each the partitions one instance answered for, out of {@code partitionCount}. */
    static PartitionCoverage of(final Collection<Set<Integer>> parts, final int partitionCount) {
        final Set<Integer> seen = new TreeSet<>();
        final Set<Integer> twice = new TreeSet<>();
        for (Set<Integer> part : parts) {
            for (int p : part) {
                if (!seen.add(p)) {
                    twice.add(p);
                }
            }
        }
        final Set<Integer> missing = new TreeSet<>();
        for (int p = 0; p < partitionCount; p++) {
            if (!seen.contains(p)) {
                missing.add(p);
            }
        }
        return new PartitionCoverage(missing, twice);
    }

    boolean complete() {
        return missing.isEmpty() && twice.isEmpty();
    }

    @Override
    public String toString() {
        return "partitions missing " + missing + ", served twice " + twice;
    }
}
