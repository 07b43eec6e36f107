package io.incidentstream.model;

/** Headers on the records of the incident topics. */
public final class IncidentHeaders {
    /**
     * The incident's tenant, UTF-8, on every record of {@code incidents} and {@code incident-events}: a
     * deletion is a tombstone (no value), and readers of the live stream still need to know whose it was.
     */
    public static final String TENANT = "incident-stream.tenant";

    private IncidentHeaders() {}
}
