package io.incidentstream.query;

/** Where rule writes go: the compacted topic {@code grouping-rules}, key {@code tenantId/ruleId}. */
public interface RuleSink {

    /**
     * Writes the rule's JSON (null: a tombstone) and returns once the broker acknowledged it.
     *
     * @throws io.incidentstream.errors.UnavailableException when the broker does not acknowledge in time
     */
    void send(String key, byte[] value);
}
