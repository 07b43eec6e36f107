package io.incidentstream.topology;

import io.incidentstream.codec.JsonSerde;
import io.incidentstream.ingest.AlertDecoder;
import io.incidentstream.metrics.IncidentMetrics;
import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.Commands;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentEvent;
import io.incidentstream.model.Lifecycle;
import io.incidentstream.store.AlertEventSerde;
import io.incidentstream.store.GroupingRuleStore;
import io.incidentstream.store.IncidentStores;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * The incident topology, a pure function of configuration (no sockets, no environment):
 *
 * <pre>
 * alerts ─► decode ─┬─ dead letter ─────────────────────────────────────► alerts-dlq
 *                   ├─ in place (key of this partition) ───┐
 *                   └─ other or no key ─► alerts-rekey ────┼─► incident processor ─┬─► incidents (latest state)
 *                                         (repartition)    │   (stores, expiry)    └─► incident-events (transitions)
 * incident-commands ─► decode ─┬─ command ─────────────────┘
 *                              └─ dead letter ─────────────────────────────────────► alerts-dlq
 * </pre>
 *
 * Every processor, store and internal topic is named here, so renaming code never renames state.
 * Run it with {@link ErrorHandling#settings()}: then no record, in or out, stops a stream thread.
 */
public final class IncidentTopology {
    // Every sink's serializers are size-guarded (RecordSizeGuard): an output record too large for Kafka
    // becomes a small dead letter instead of a transaction the producer fails (ErrorHandling).
    private static final Serde<String> STRING_KEY = RecordSizeGuard.keys(Serdes.String());
    private static final Serde<byte[]> BYTES_KEY = RecordSizeGuard.keys(Serdes.ByteArray());
    private static final Serde<byte[]> BYTES_VALUE = RecordSizeGuard.values(Serdes.ByteArray());

    private IncidentTopology() {}

    /**
     * The whole topology: decode, re-key, fold, publish.
     *
     * @param alertPartitions partitions of {@code alerts}: a record counts as correctly keyed only if it
     *        also sits on the partition the default (murmur2) partitioner gives its key, so producers with
     *        another partitioner (librdkafka's crc32, say) are re-keyed rather than folded on the wrong task
     */
    public static Topology build(
            final TopologySettings settings, final IncidentMetrics metrics, final int alertPartitions) {
        final StreamsBuilder builder = new StreamsBuilder();
        IncidentStores.builders().forEach(builder::addStateStore);
        builder.addGlobalStore(
                GroupingRuleStore.builder(),
                Topics.GROUPING_RULES,
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("grouping-rules-source"),
                GroupingRuleStore.updater());

        final AlertDecoder decoder = new AlertDecoder(settings.incidentTtl());
        final Map<String, KStream<String, Decoded>> routes = builder.stream(
                        Topics.ALERTS,
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("alerts-source"))
                .process(
                        () -> new DecodeProcessor(decoder, metrics, alertPartitions, settings.alertmanagerGroups()),
                        Named.as("decode-alerts"))
                .split(Named.as("route-"))
                .branch((key, d) -> d.isDeadLetter(), Branched.as("dead-letter"))
                .branch((key, d) -> d.inPlace(), Branched.as("keyed"))
                .defaultBranch(Branched.as("rekey"));

        routes.get("route-dead-letter")
                .map((key, d) -> KeyValue.pair(d.rawKey(), d.rawValue()), Named.as("dead-letter-bytes"))
                .to(Topics.ALERTS_DLQ, Produced.with(BYTES_KEY, BYTES_VALUE).withName("alerts-dlq-sink"));

        final KStream<String, AlertEvent> keyed =
                routes.get("route-keyed").mapValues(Decoded::event, Named.as("keyed-events"));
        final KStream<String, AlertEvent> rekeyed = routes.get("route-rekey")
                .mapValues(Decoded::event, Named.as("rekey-events"))
                .repartition(Repartitioned.with(
                                STRING_KEY, RecordSizeGuard.values(AlertEventSerde.serde(settings.rekeyJson())))
                        .withName(Topics.REKEY));

        final Map<String, KStream<String, Decoded>> commands = builder.stream(
                        Topics.INCIDENT_COMMANDS,
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("commands-source"))
                .process(() -> new CommandDecodeProcessor(metrics), Named.as("decode-commands"))
                .split(Named.as("commands-"))
                .branch((key, d) -> d.isDeadLetter(), Branched.as("dead-letter"))
                .defaultBranch(Branched.as("valid"));
        commands.get("commands-dead-letter")
                .map((key, d) -> KeyValue.pair(d.rawKey(), d.rawValue()), Named.as("command-dead-letter-bytes"))
                .to(Topics.ALERTS_DLQ, Produced.with(BYTES_KEY, BYTES_VALUE).withName("commands-dlq-sink"));

        final Lifecycle lifecycle = new Lifecycle(settings.flapWindow());
        final Commands rules = new Commands(settings.incidentTtl());
        final KStream<String, IncidentChange> changes = keyed.merge(rekeyed, Named.as("all-alerts"))
                .mapValues(Input::of, Named.as("alert-inputs"))
                .merge(
                        commands.get("commands-valid")
                                .mapValues(d -> Input.of(d.command()), Named.as("command-inputs")),
                        Named.as("all-inputs"))
                .process(
                        () -> new IncidentProcessor(
                                lifecycle,
                                rules,
                                metrics,
                                settings.expiryInterval(),
                                settings.expiryMaxPerTick(),
                                settings.incidentRetention(),
                                settings.indexedLabels()),
                        Named.as("incident-processor"),
                        IncidentStores.ALL.toArray(String[]::new));

        changes.mapValues(c -> c.deleted() ? null : c.incident(), Named.as("incident-state"))
                .to(
                        Topics.INCIDENTS,
                        Produced.with(STRING_KEY, RecordSizeGuard.values(JsonSerde.of(Incident.class)))
                                .withName("incidents-sink"));
        changes.filter((id, change) -> change.transition() != null, Named.as("transitions-only"))
                .mapValues(IncidentTopology::event, Named.as("incident-event"))
                .to(
                        Topics.INCIDENT_EVENTS,
                        Produced.with(STRING_KEY, RecordSizeGuard.values(JsonSerde.of(IncidentEvent.class)))
                                .withName("incident-events-sink"));
        return builder.build();
    }

    private static IncidentEvent event(final IncidentChange change) {
        return IncidentEvent.of(change.incident(), change.type(), change.transition());
    }
}
