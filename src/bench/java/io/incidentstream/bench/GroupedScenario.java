package io.incidentstream.bench;

import io.incidentstream.config.Config;
import io.incidentstream.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Scenario {@code grouped}: the ingest set of scenario 1 folded by the topology without rules and with
 * a rule grouping by {@code host} (8 alerts a host: about ten alerts an incident), alternating in one
 * run on one pre-produced set, under exactly_once_v2. Before each run the rule is written to (or
 * deleted from, by a tombstone) topic {@code grouping-rules}; every fresh application reads that topic
 * into its global store before it processes an alert, so each run sees exactly its own setting. A
 * run ends when the fold (not just the decode step) has applied every record.
 */
final class GroupedScenario {
    static final String RULE = "{\"id\":\"by-host\",\"groupBy\":[\"host\"],\"title\":\"{{host}}: {{memberCount}}\"}";

    record Result(long events, List<IngestScenario.Run> runs) {
        double mean(final String variant) {
            return runs.stream()
                    .filter(r -> r.variant().equals(variant))
                    .mapToDouble(IngestScenario.Run::perSecond)
                    .average()
                    .orElse(Double.NaN);
        }

        double ratio() {
            return mean("grouped") / mean("ungrouped");
        }
    }

    private GroupedScenario() {}

    static Result run(final Bench.Sizes sizes, final Path work) throws Exception {
        final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        final AlertSet set = AlertSet.ingest(sizes.ingestEvents(), now.minus(Duration.ofHours(1)), Duration.ofHours(4));
        try (BenchBroker broker = BenchBroker.start(work.resolve("kafka-grouped"), Bench.PARTITIONS)) {
            final Map<String, String> env = new HashMap<>(Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS",
                    broker.bootstrapServers(),
                    "TOPIC_PARTITIONS",
                    Integer.toString(Bench.PARTITIONS)));
            broker.createAppTopics(Config.from(env));
            Bench.log("grouped: producing %,d alert events to %s", set.size(), Topics.ALERTS);
            broker.produce(Topics.ALERTS, set.size(), set::event);
            final List<IngestScenario.Run> runs = new ArrayList<>();
            for (int round = 1; round <= Math.max(2, sizes.ingestRounds()); round++) {
                for (String variant : List.of("ungrouped", "grouped")) {
                    rule(broker, variant.equals("grouped") ? RULE : null);
                    runs.add(IngestScenario.runOne(
                            sizes,
                            work,
                            broker,
                            set.size(),
                            "topology",
                            variant,
                            IngestScenario.EOS,
                            round,
                            List.of()));
                }
            }
            final Result result = new Result(set.size(), runs);
            Bench.log(
                    "grouped: ungrouped %,.0f/s, grouped %,.0f/s: grouped / ungrouped %.2f",
                    result.mean("ungrouped"), result.mean("grouped"), result.ratio());
            return result;
        }
    }

    private static void rule(final BenchBroker broker, final String json) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            Topics.GROUPING_RULES,
                            (AlertSet.TENANT + "/by-host").getBytes(StandardCharsets.UTF_8),
                            json == null ? null : json.getBytes(StandardCharsets.UTF_8)))
                    .get();
        }
    }
}
