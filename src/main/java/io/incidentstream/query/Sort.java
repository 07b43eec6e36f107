package io.incidentstream.query;

import io.incidentstream.model.Incident;
import io.incidentstream.store.IndexKeys;

/** The time a list is ordered by ({@code sort=createdAt|updatedAt}); the incident id breaks ties. */
public enum Sort {
    CREATED_AT(IndexKeys.Order.CREATED_AT),
    UPDATED_AT(IndexKeys.Order.UPDATED_AT);

    private final IndexKeys.Order index;

    Sort(final IndexKeys.Order index) {
        this.index = index;
    }

    /** The time an incident sorts by in this order, at the index's precision (milliseconds). */
    public long timeOf(final Incident i) {
        return index.timeOf(i);
    }

    /** The index that holds incidents in this order. */
    IndexKeys.Order index() {
        return index;
    }
}
