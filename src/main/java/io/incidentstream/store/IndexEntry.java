package io.incidentstream.store;

/** One list-index hit: the incident id, the time it sorts by, and the partition whose store holds it. */
public record IndexEntry(int partition, long time, String id) {}
