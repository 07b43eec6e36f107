package io.incidentstream.bench;

import io.incidentstream.config.Config;
import io.incidentstream.topology.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenario 1: one pre-produced alert set on {@code alerts} (6 partitions, keyed {@code
 * tenantId/alertId} by the default partitioner, as a well-behaved producer writes it), consumed from
 * the beginning by fresh Kafka Streams applications, one at a time, each in its own JVM
 * ({@link IngestRunner}): the passthrough and the topology, under exactly_once_v2 and
 * at_least_once, alternating so that drift of the shared machine hits both alike. A last run of the
 * topology under exactly_once_v2 over the first {@link #PROFILE_RECORDS} records records a JFR
 * profile (not counted in the figures).
 */
final class IngestScenario {
    static final String EOS = "exactly_once_v2";
    static final String ALOS = "at_least_once";
    /** The profiled run stops after this many records: enough samples, less time. */
    static final long PROFILE_RECORDS = 500_000;

    private static final Pattern RESULT = Pattern.compile("INGEST records=(\\d+) seconds=([0-9.]+) per_s=(\\d+)(.*)");

    record Run(String variant, String guarantee, int round, double seconds, double perSecond, String outcomes) {}

    record Result(long events, long distinct, double produceSeconds, long meanBytes, List<Run> runs, Path profile) {
        double mean(final String variant, final String guarantee) {
            return runs.stream()
                    .filter(r -> r.variant().equals(variant) && r.guarantee().equals(guarantee))
                    .mapToDouble(Run::perSecond)
                    .average()
                    .orElse(Double.NaN);
        }

        double ratio(final String guarantee) {
            return mean("topology", guarantee) / mean("passthrough", guarantee);
        }

        /** The topology against the cheapest durable fold ({@link IngestRunner}'s floor). */
        double floorRatio(final String guarantee) {
            return mean("topology", guarantee) / mean("floor", guarantee);
        }

        /**
         * The highest {@link #floorRatio} any fold of this contract can reach: the minimal fold that also
         * decodes each JSON alert and writes each incident as JSON, over the minimal fold.
         */
        double floorCeiling(final String guarantee) {
            return mean("floor-json", guarantee) / mean("floor", guarantee);
        }

        String outcomes() {
            return runs.stream()
                    .filter(r -> r.variant().equals("topology"))
                    .map(Run::outcomes)
                    .findFirst()
                    .orElse("")
                    .trim();
        }
    }

    private IngestScenario() {}

    static Result run(final Bench.Sizes sizes, final Path work) throws Exception {
        final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        final AlertSet set = AlertSet.ingest(sizes.ingestEvents(), now.minus(Duration.ofHours(1)), Duration.ofHours(4));
        try (BenchBroker broker = BenchBroker.start(work.resolve("kafka-ingest"), Bench.PARTITIONS)) {
            final Map<String, String> env = new HashMap<>(Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS",
                    broker.bootstrapServers(),
                    "TOPIC_PARTITIONS",
                    Integer.toString(Bench.PARTITIONS)));
            broker.createAppTopics(Config.from(env));
            broker.createTopic(IngestRunner.PASSTHROUGH_OUT, Bench.PARTITIONS);
            broker.createTopic(IngestRunner.FLOOR_OUT, Bench.PARTITIONS);
            Bench.log(
                    "ingest: producing %,d alert events (%,d distinct alerts) to %s",
                    set.size(), set.distinctAlerts(), Topics.ALERTS);
            final long start = System.nanoTime();
            broker.produce(Topics.ALERTS, set.size(), set::event);
            final double produceSeconds = (System.nanoTime() - start) / 1e9;
            final long meanBytes = sampleBytes(set);
            if (broker.endOffsets(Topics.ALERTS) != set.size()) {
                throw new IllegalStateException(
                        "alerts holds " + broker.endOffsets(Topics.ALERTS) + " records, expected " + set.size());
            }
            final List<Run> runs = new ArrayList<>();
            for (int round = 1; round <= sizes.ingestRounds(); round++) {
                for (String guarantee : sizes.ingestGuarantees().split(",", -1)) {
                    for (String variant : List.of("passthrough", "floor", "floor-json", "topology")) {
                        runs.add(runOne(sizes, work, broker, set.size(), variant, guarantee, round, List.of()));
                    }
                }
            }
            Path profile = null;
            if (sizes.profile()) {
                profile = work.resolve("ingest-topology-eos.jfr");
                runOne(
                        sizes,
                        work,
                        broker,
                        Math.min(set.size(), PROFILE_RECORDS),
                        "topology",
                        EOS,
                        0,
                        List.of(
                                "-XX:FlightRecorderOptions=stackdepth=512",
                                "-XX:StartFlightRecording=filename=" + profile + ",settings=profile,dumponexit=true"));
            }
            return new Result(set.size(), set.distinctAlerts(), produceSeconds, meanBytes, runs, profile);
        }
    }

    private static Run runOne(
            final Bench.Sizes sizes,
            final Path work,
            final BenchBroker broker,
            final long records,
            final String variant,
            final String guarantee,
            final int round,
            final List<String> extraJvmArgs)
            throws Exception {
        return runOne(sizes, work, broker, records, variant, variant, guarantee, round, extraJvmArgs);
    }

    /** One run of {@link IngestRunner}'s {@code runner} variant, reported as {@code variant}. */
    static Run runOne(
            final Bench.Sizes sizes,
            final Path work,
            final BenchBroker broker,
            final long records,
            final String runner,
            final String variant,
            final String guarantee,
            final int round,
            final List<String> extraJvmArgs)
            throws Exception {
        final String appId =
                "bench-" + variant + "-" + guarantee.replace('_', '-') + "-" + (round == 0 ? "profile" : round);
        final Path log = work.resolve(appId + ".log");
        final Path stateDir = work.resolve("state-" + appId);
        final List<String> jvm = new ArrayList<>(List.of("-Xmx" + sizes.ingestXmx()));
        jvm.addAll(extraJvmArgs);
        final Process p = ChildJvm.onClasspath(
                jvm,
                IngestRunner.class,
                List.of(
                        runner,
                        guarantee,
                        broker.bootstrapServers(),
                        Long.toString(records),
                        stateDir.toString(),
                        appId,
                        Integer.toString(Bench.PARTITIONS),
                        sizes.appEnv()),
                log);
        ChildJvm.await(p, 1800, log);
        ExpiryScenario.deleteTree(stateDir);
        final String line =
                ChildJvm.lastLine(log, "INGEST ").orElseThrow(() -> new IllegalStateException("no result in " + log));
        final Matcher m = RESULT.matcher(line);
        if (!m.matches()) {
            throw new IllegalStateException("cannot read " + line);
        }
        final Run run = new Run(
                variant, guarantee, round, Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)), m.group(4));
        Bench.log(
                "ingest: %-11s %-15s %s %,.0f records/s (%.1f s)%s",
                variant,
                guarantee,
                round == 0 ? "profile" : "round " + round,
                run.perSecond(),
                run.seconds(),
                run.outcomes());
        ChildJvm.lastLine(log, "THREAD ").ifPresent(shares -> Bench.log("ingest:   %s", shares));
        return run;
    }

    /** Mean JSON size of the first 1000 events, in bytes. */
    private static long sampleBytes(final AlertSet set) {
        final long n = Math.min(1000, set.size());
        long total = 0;
        for (long i = 0; i < n; i++) {
            total += set.event(i).nativeJson().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        return total / n;
    }
}
