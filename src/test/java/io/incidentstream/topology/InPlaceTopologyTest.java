package io.incidentstream.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.incidentstream.model.Incident;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which alerts skip the repartition topic: with six partitions of {@code alerts} (the driver reads
 * every record from partition 0), an alert is folded where it arrived only when its alert key is on
 * partition 0 and so is the key it is folded under (its own, or its group's); every other alert goes
 * through {@code alerts-rekey}, and all are folded alike.
 */
class InPlaceTopologyTest {
    private static final int PARTITIONS = 6;
    private static final String HOST_RULE = "{\"id\":\"host\",\"groupBy\":[\"host\"],\"window\":\"PT10M\"}";

    private TopologyFixture f = TopologyFixture.withAlertPartitions(PARTITIONS, Map.of());
    private TestOutputTopic<String, String> rekey = rekeyTopic();

    private TestOutputTopic<String, String> rekeyTopic() {
        return f.driver.createOutputTopic(
                f.applicationId + "-" + Topics.REKEY + "-repartition",
                new StringDeserializer(),
                new StringDeserializer());
    }

    @AfterEach
    void close() {
        f.close();
    }

    private static int partition(final String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    /** The first of "prefix-0", "prefix-1", … whose key (made by {@code key}) has a partition that passes. */
    private static String first(final String prefix, final Function<String, String> key, final IntPredicate p) {
        return IntStream.range(0, 1000)
                .mapToObj(i -> prefix + "-" + i)
                .filter(v -> p.test(partition(key.apply(v))))
                .findFirst()
                .orElseThrow();
    }

    private static String groupKey(final String host) {
        return "acme/host/{host=\"" + host + "\"}";
    }

    private void fire(final String alertId, final Map<String, String> labels) {
        f.sendJson(
                "acme/" + alertId,
                TopologyFixture.alert("acme", alertId, "FIRING", TopologyFixture.START, null, labels));
    }

    private List<String> rekeyed() {
        return rekey.readKeyValuesToList().stream().map(kv -> kv.key).toList();
    }

    private Map<String, Incident> incidents() {
        final Map<String, Incident> out = new LinkedHashMap<>();
        f.incidents.readValuesToList().forEach(i -> out.put(i.id(), i));
        return out;
    }

    @Test
    void shouldFoldAnAlertOnItsOwnPartitionInPlaceAndReKeyOneElsewhere() {
        final String here = first("here", id -> "acme/" + id, p -> p == 0);
        final String elsewhere = first("elsewhere", id -> "acme/" + id, p -> p != 0);

        fire(here, Map.of());
        fire(elsewhere, Map.of());

        assertEquals(List.of("acme/" + elsewhere), rekeyed());
        assertEquals(
                List.of(here, elsewhere),
                incidents().values().stream().map(Incident::alertId).toList());
    }

    @Test
    void shouldFoldAGroupedAlertInPlaceOnlyWhenItsGroupKeyIsOnItsPartitionToo() {
        f.rule("acme", "host", HOST_RULE);
        final String hostHere = first("host", InPlaceTopologyTest::groupKey, p -> p == 0);
        final String hostElsewhere = first("host", InPlaceTopologyTest::groupKey, p -> p != 0);
        final List<String> alerts = IntStream.range(0, 1000)
                .mapToObj(i -> "disk-" + i)
                .filter(id -> partition("acme/" + id) == 0)
                .limit(4)
                .toList();

        fire(alerts.get(0), Map.of("host", hostHere));
        fire(alerts.get(1), Map.of("host", hostHere));
        assertEquals(List.of(), rekeyed(), "both folded in place");

        fire(alerts.get(2), Map.of("host", hostElsewhere));
        fire(alerts.get(3), Map.of("host", hostElsewhere));
        assertEquals(List.of(groupKey(hostElsewhere), groupKey(hostElsewhere)), rekeyed());

        assertEquals(
                List.of(groupKey(hostHere) + " 2", groupKey(hostElsewhere) + " 2"),
                incidents().values().stream()
                        .map(i -> i.groupKey() + " " + i.memberCount())
                        .toList());
    }

    @Test
    void shouldWriteTheReKeyTopicBinaryUnlessToldJsonForARollingUpgradeAndFoldEither() {
        final String elsewhere = first("elsewhere", id -> "acme/" + id, p -> p != 0);
        fire(elsewhere, Map.of());
        final List<String> binary = rekey.readValuesToList();
        assertEquals(1, binary.size());
        assertEquals(1, binary.get(0).charAt(0), "the binary form's version byte");
        assertEquals(
                List.of(elsewhere),
                incidents().values().stream().map(Incident::alertId).toList());

        f.close();
        f = TopologyFixture.withAlertPartitions(PARTITIONS, Map.of("REKEY_FORMAT", "json"));
        rekey = rekeyTopic();
        fire(elsewhere, Map.of());
        final List<String> json = rekey.readValuesToList();
        assertEquals(1, json.size());
        assertEquals('{', json.get(0).charAt(0), "JSON, which earlier versions read");
        assertEquals(
                List.of(elsewhere),
                incidents().values().stream().map(Incident::alertId).toList());
    }
}
