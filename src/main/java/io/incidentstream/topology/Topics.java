package io.incidentstream.topology;

import java.util.List;

/** Every topic the application reads or writes, named once. */
public final class Topics {
    /** Alert events in (native JSON); key {@code tenantId/alertId}, other keys are re-keyed. */
    public static final String ALERTS = "alerts";
    /** Records of {@link #ALERTS} that could not be accepted, with the reason and origin in headers. */
    public static final String ALERTS_DLQ = "alerts-dlq";
    /** Latest state of each incident; key incident id; compacted. */
    public static final String INCIDENTS = "incidents";
    /** Status transitions; key incident id. */
    public static final String INCIDENT_EVENTS = "incident-events";
    /** API writes (create, update, delete); key incident id, partition = the incident's, written by the API. */
    public static final String INCIDENT_COMMANDS = "incident-commands";
    /** Silences; key {@code tenantId/silenceId}; compacted; read whole by every instance. */
    public static final String SILENCES = "silences";
    /** Webhook subscriptions of every tenant; key {@code tenant/id}; compacted, read whole by every instance. */
    public static final String WEBHOOK_SUBSCRIPTIONS = "webhook-subscriptions";
    /** Webhook deliveries waiting for their next attempt; key {@code tenant/subscriptionId}. */
    public static final String WEBHOOK_RETRIES = "webhook-retries";
    /** Grouping rules; key {@code tenantId/ruleId}, value the rule as JSON, a tombstone deletes; compacted. */
    public static final String GROUPING_RULES = "grouping-rules";
    /** Name of the repartition step for mis-keyed alerts ({@code <application.id>-alerts-rekey-repartition}). */
    public static final String REKEY = "alerts-rekey";

    /** Topics the application creates when missing (internal topics are Kafka Streams' own). */
    public static final List<String> EXTERNAL = List.of(
            ALERTS,
            ALERTS_DLQ,
            INCIDENTS,
            INCIDENT_EVENTS,
            INCIDENT_COMMANDS,
            SILENCES,
            WEBHOOK_SUBSCRIPTIONS,
            WEBHOOK_RETRIES,
            GROUPING_RULES);

    /** DLQ header names. */
    public static final String HEADER_REASON = "dlq.reason";

    public static final String HEADER_ERROR = "dlq.error";
    public static final String HEADER_SOURCE_TOPIC = "dlq.source.topic";
    public static final String HEADER_SOURCE_PARTITION = "dlq.source.partition";
    public static final String HEADER_SOURCE_OFFSET = "dlq.source.offset";
    /** On dead letters of output records: the topic the record was meant for. */
    public static final String HEADER_TARGET_TOPIC = "dlq.target.topic";
    /** On dead letters made by an exception handler: the processor that failed or produced the record. */
    public static final String HEADER_PROCESSOR = "dlq.processor";
    /** Parts of the record left out to keep the dead letter itself within bounds, with their sizes ({@code value=912345}). */
    public static final String HEADER_OMITTED = "dlq.omitted";

    private Topics() {}
}
