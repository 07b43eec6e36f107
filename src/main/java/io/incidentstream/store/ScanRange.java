package io.incidentstream.store;

/**
 * What to scan: the index families (one per status × severity combination asked for), the time
 * bounds ({@code fromMillis} inclusive, {@code toMillis} exclusive), the direction, and where the
 * previous page ended ({@code afterTime}/{@code afterId}, both null on the first page).
 */
public record ScanRange(
        java.util.List<byte[]> prefixes,
        long fromMillis,
        long toMillis,
        boolean descending,
        Long afterTime,
        String afterId) {

    public boolean hasPosition() {
        return afterId != null;
    }
}
