package io.incidentstream.topology;

import io.incidentstream.errors.InvalidAlertException;
import io.incidentstream.grouping.AlertmanagerGroups;
import io.incidentstream.grouping.GroupLifecycle;
import io.incidentstream.ingest.AlertDecoder;
import io.incidentstream.metrics.IncidentMetrics;
import io.incidentstream.model.AlertEvent;
import io.incidentstream.store.GroupingRuleStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes raw alert records and keys them: by their alert key, or, when one of the tenant's grouping
 * rules takes the alert, by its group key, the rule travelling with the record in a header
 * ({@link Grouping#HEADER}) so that the fold applies the rule as it was when the alert was routed.
 * Records not already under that key on its partition go through the re-key repartition.
 *
 * <p>Decodes raw alert records. Never throws: a record that cannot be decoded becomes a dead letter
 * carrying its original bytes and, in headers, the reason and its source topic/partition/offset,
 * so the stream thread keeps going and nothing is lost silently.
 *
 * <p>Logging: an invalid record is the producer's problem and can come by the thousand, so it is
 * logged at DEBUG only; {@code alerts.dlq{reason}} is the signal to alert on. A failure of the
 * decoder itself is our bug and logged at WARN with its trace, at most once per
 * {@link #UNEXPECTED_LOG_INTERVAL}.
 */
final class DecodeProcessor implements Processor<byte[], byte[], String, Decoded> {
    private static final Logger LOG = LoggerFactory.getLogger(DecodeProcessor.class);
    static final Duration UNEXPECTED_LOG_INTERVAL = Duration.ofSeconds(10);
    private static final LogThrottle UNEXPECTED_LOG = new LogThrottle(UNEXPECTED_LOG_INTERVAL, System::nanoTime);

    private final AlertDecoder decoder;
    private final IncidentMetrics metrics;
    private final int alertPartitions;
    private final boolean alertmanagerGroups;
    private ProcessorContext<String, Decoded> context;
    private GroupingRuleStore rules;
    private final Grouping.RuleHeaders ruleHeaders = new Grouping.RuleHeaders();

    DecodeProcessor(
            final AlertDecoder decoder,
            final IncidentMetrics metrics,
            final int alertPartitions,
            final boolean alertmanagerGroups) {
        this.alertmanagerGroups = alertmanagerGroups;
        this.decoder = decoder;
        this.metrics = metrics;
        this.alertPartitions = alertPartitions;
    }

    @Override
    public void init(final ProcessorContext<String, Decoded> context) {
        this.context = context;
        this.rules = GroupingRuleStore.from(context);
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
        final AlertEvent event;
        try {
            event = decoder.decode(record.value());
        } catch (InvalidAlertException e) {
            deadLetter(record, e.reason(), e.reason().code(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            final long heldBack = UNEXPECTED_LOG.tryAcquire();
            if (heldBack >= 0) {
                LOG.warn(
                        "Unexpected failure decoding an alert; sending it to {} ({} more since the last such warning)",
                        Topics.ALERTS_DLQ,
                        heldBack,
                        e);
            }
            deadLetter(record, null, "unexpected", String.valueOf(e));
            return;
        }
        // A header that says how to group is ours alone: one arriving on the topic is dropped.
        record.headers().remove(Grouping.HEADER);
        // ALERTMANAGER_GROUPS: the group Alertmanager notified the alert in comes before any rule.
        final Optional<GroupLifecycle.Group> group =
                alertmanagerGroups ? AlertmanagerGroups.route(event).or(() -> rules.route(event)) : rules.route(event);
        final String alertKey = event.key().asString();
        final String key = group.map(GroupLifecycle.Group::key).orElse(alertKey);
        group.ifPresent(g -> record.headers().add(Grouping.HEADER, ruleHeaders.of(g.rule())));
        context.forward(record.withKey(key).withValue(Decoded.ok(event, inPlace(record.key(), alertKey, key))));
    }

    /**
     * Whether the record may skip the repartition topic: it already sits under its alert's canonical key
     * on the partition the default partitioner picks for that key (so every event of the alert arrives
     * here, in order), and the key it is folded under (the alert key, or its group's key) belongs to this
     * partition too. Otherwise one alert's events could be folded on two tasks, or overtake each other.
     */
    private boolean inPlace(final byte[] rawKey, final String alertKey, final String key) {
        final byte[] expected = alertKey.getBytes(StandardCharsets.UTF_8);
        if (rawKey == null || !Arrays.equals(rawKey, expected)) {
            return false;
        }
        final int partition = partitionOf(expected);
        if (!key.equals(alertKey) && partitionOf(key.getBytes(StandardCharsets.UTF_8)) != partition) {
            return false;
        }
        return context.recordMetadata().map(m -> m.partition() == partition).orElse(true);
    }

    private int partitionOf(final byte[] key) {
        return Utils.toPositive(Utils.murmur2(key)) % alertPartitions;
    }

    private void deadLetter(
            final Record<byte[], byte[]> record,
            final InvalidAlertException.Reason reason,
            final String code,
            final String message) {
        metrics.deadLetter(reason);
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "Dead letter ({}) from {}: {}",
                    code,
                    context.recordMetadata()
                            .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
                            .orElse("?"),
                    message);
        }
        final Headers headers = DeadLetters.headers(context, record, code, message);
        context.forward(new Record<>(
                (String) null, Decoded.deadLetter(record.key(), record.value()), record.timestamp(), headers));
    }
}
