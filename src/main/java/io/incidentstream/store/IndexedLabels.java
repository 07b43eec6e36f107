package io.incidentstream.store;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.zip.CRC32C;

/**
 * The label names whose values the list index keeps ({@code INDEXED_LABELS}): an equality matcher on
 * one of them ({@code label=service=checkout}) reads that value's own index ranges, O(limit) at any
 * depth; every other matcher is checked on the incidents a scan reads. Each indexed name costs two
 * index entries per incident that has the label. The set is part of the index layout: a task whose
 * indexes were built with another set rebuilds them ({@link DerivedIndexes}).
 */
public final class IndexedLabels {
    /** No label indexed. */
    public static final IndexedLabels NONE = new IndexedLabels(List.of());

    private final SortedSet<String> names;

    private IndexedLabels(final List<String> names) {
        this.names = new TreeSet<>(names);
    }

    public static IndexedLabels of(final List<String> names) {
        return names.isEmpty() ? NONE : new IndexedLabels(names);
    }

    /** The names, sorted. */
    public SortedSet<String> names() {
        return Collections.unmodifiableSortedSet(names);
    }

    public boolean contains(final String name) {
        return names.contains(name);
    }

    /** A fingerprint of the set, kept with the indexes on disk: 0 for none. */
    public long fingerprint() {
        if (names.isEmpty()) {
            return 0;
        }
        final CRC32C crc = new CRC32C();
        for (String name : names) {
            crc.update(name.getBytes(StandardCharsets.UTF_8));
            crc.update(0);
        }
        return crc.getValue() + 1;
    }

    @Override
    public String toString() {
        return String.join(",", names);
    }
}
