package io.incidentstream.query;

import io.incidentstream.model.AlertEvent;
import java.time.Instant;
import java.util.List;

/** The alerts on topic {@code alerts}, read back for a preview: never the fold's state, never a commit. */
public interface AlertHistory {

    /**
     * What one bounded read found.
     *
     * @param alerts      the tenant's valid alerts whose record time lies in the range, oldest first
     * @param recordsRead records read, of every tenant (the bound counts them all)
     * @param truncatedBy why the read stopped before the range's end (the record bound, the time
     *                    budget), or null when it read the whole range
     */
    record Read(List<AlertEvent> alerts, long recordsRead, String truncatedBy) {}

    /**
     * Reads the records of {@code [from, to)} (record time), committed ones only, at most
     * {@code maxRecords} of them, and keeps the tenant's alerts that decode.
     *
     * @throws io.incidentstream.errors.UnavailableException when the cluster cannot be read
     */
    Read read(String tenant, Instant from, Instant to, int maxRecords);
}
