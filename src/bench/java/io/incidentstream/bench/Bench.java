package io.incidentstream.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The benchmark, run by {@code bench/run.sh [--quick]}: ingest against a Kafka Streams
 * passthrough, list latency, expiry cost, memory, and a real Prometheus Alertmanager as the peer,
 * all in one run because absolute figures drift on a shared machine and ratios measured side by
 * side do not. Writes the summary (a table, then the {@code BENCH …} line) and bench/RESULTS.md.
 *
 * <p>usage: {@code Bench [--quick] [--only ingest,expiry,list,peer,live,notify] [--<size> N …] --jar J
 * --alertmanager BIN --work DIR --results FILE --summary FILE}; sizes as in {@link Sizes}.
 */
public final class Bench {
    static final int PARTITIONS = 6;
    static final List<String> SCENARIOS = List.of("ingest", "grouped", "expiry", "list", "peer", "live", "notify");

    static final String ALL_GUARANTEES = "exactly_once_v2,at_least_once";

    /** Incidents of the scale run ({@code --scale}). */
    static final long SCALE_INCIDENTS = 10_000_000;

    /**
     * Every size and setting of a run.
     *
     * @param ingestEvents   alert events pre-produced for scenario 1 (10% distinct alerts)
     * @param ingestRounds   measured runs of each variant × guarantee (their mean is reported)
     * @param incidents      incidents held by the stores in scenarios 2 and 4, and the big store of 3
     * @param expirySmall    the small store of scenario 3
     * @param expirySweeps   sweeps per store, the first a warm-up
     * @param peerEvents     alert events posted to us and to Alertmanager (the first of the ingest set's kind)
     * @param appEnv         more application environment for every instance and ingest run ({@code NAME=value,…}; empty:
     *                       the defaults), to try settings such as {@code KAFKA_STREAMS_COMMIT_INTERVAL_MS=1000}
     * @param ingestGuarantees the guarantees scenario 1 runs under (comma list); {@code exactly_once_v2} alone halves
     *                       the time of a run that compares one lever
     */
    record Sizes(
            String mode,
            long ingestEvents,
            int ingestRounds,
            boolean profile,
            String ingestXmx,
            long incidents,
            int deepPage,
            int listRepeats,
            int warmup,
            String appXmx,
            long expirySmall,
            int expirySweeps,
            long peerEvents,
            int peerBatch,
            int peerConcurrency,
            int peerListRepeats,
            int peerListWarmup,
            String appEnv,
            String ingestGuarantees) {

        static Sizes quick() {
            return new Sizes(
                    "quick",
                    200_000,
                    1,
                    false,
                    "1g",
                    100_000,
                    500,
                    200,
                    50,
                    "1g",
                    10_000,
                    7,
                    100_000,
                    100,
                    4,
                    30,
                    5,
                    "",
                    ALL_GUARANTEES);
        }

        static Sizes full() {
            return new Sizes(
                    "full",
                    2_000_000,
                    1,
                    true,
                    "1g",
                    1_000_000,
                    500,
                    1000,
                    200,
                    "1g",
                    10_000,
                    9,
                    500_000,
                    100,
                    4,
                    50,
                    5,
                    "",
                    ALL_GUARANTEES);
        }

        /** {@code --ingest-events 20000} style overrides, for tiny runs while working on the harness. */
        Sizes with(final Map<String, String> o) {
            return new Sizes(
                    mode + (o.isEmpty() ? "" : " (overridden: " + o + ")"),
                    num(o, "ingest-events", ingestEvents),
                    (int) num(o, "ingest-rounds", ingestRounds),
                    Boolean.parseBoolean(o.getOrDefault("profile", Boolean.toString(profile))),
                    o.getOrDefault("ingest-xmx", ingestXmx),
                    num(o, "incidents", incidents),
                    (int) num(o, "deep-page", deepPage),
                    (int) num(o, "list-repeats", listRepeats),
                    (int) num(o, "warmup", warmup),
                    o.getOrDefault("app-xmx", appXmx),
                    num(o, "expiry-small", expirySmall),
                    (int) num(o, "expiry-sweeps", expirySweeps),
                    num(o, "peer-events", peerEvents),
                    (int) num(o, "peer-batch", peerBatch),
                    (int) num(o, "peer-concurrency", peerConcurrency),
                    (int) num(o, "peer-list-repeats", peerListRepeats),
                    (int) num(o, "peer-list-warmup", peerListWarmup),
                    o.getOrDefault("app-env", appEnv),
                    o.getOrDefault("ingest-guarantees", ingestGuarantees));
        }

        private static long num(final Map<String, String> o, final String key, final long fallback) {
            return o.containsKey(key) ? Long.parseLong(o.get(key).replace("_", "")) : fallback;
        }
    }

    private Bench() {}

    public static void main(final String[] argv) throws Exception {
        final Map<String, String> args = new HashMap<>();
        boolean quick = false;
        boolean scale = false;
        for (int i = 0; i < argv.length; i++) {
            if ("--quick".equals(argv[i])) {
                quick = true;
            } else if ("--scale".equals(argv[i])) {
                scale = true;
            } else if (argv[i].startsWith("--") && i + 1 < argv.length) {
                args.put(argv[i].substring(2), argv[++i]);
            } else {
                throw new IllegalArgumentException("unexpected argument " + argv[i]);
            }
        }
        final Path jar = Path.of(required(args, "jar")).toAbsolutePath();
        final String alertmanager = required(args, "alertmanager");
        final Path work = Path.of(required(args, "work"));
        final Path results = Path.of(required(args, "results"));
        final Path summary = Path.of(required(args, "summary"));
        final Set<String> only = new LinkedHashSet<>(Arrays.asList(
                args.getOrDefault("only", String.join(",", SCENARIOS)).split(",")));
        final Map<String, String> overrides = new HashMap<>(args);
        List.of("jar", "alertmanager", "work", "results", "summary", "only", "command")
                .forEach(overrides::remove);
        final Sizes sizes = (quick ? Sizes.quick() : Sizes.full()).with(overrides);

        if ((only.contains("grouped")
                        || only.contains("list")
                        || only.contains("peer")
                        || only.contains("live")
                        || only.contains("notify"))
                && !Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + " does not exist: build it with mvn -DskipTests package");
        }
        final Report report =
                new Report(sizes, args.getOrDefault("command", "bench/run.sh" + (quick ? " --quick" : "")));
        ExpiryScenario.deleteTree(work);
        Files.createDirectories(work);
        log("bench %s: %s", sizes.mode(), sizes);
        if (scale) {
            scale(sizes, overrides, work, jar, results, summary, args.getOrDefault("command", "bench/run.sh --scale"));
            System.exit(0);
        }
        if (only.contains("ingest")) {
            report.ingest(IngestScenario.run(sizes, work));
            if (report.ingestProfile() != null) {
                report.profile(JfrProfile.analyse(report.ingestProfile(), 15));
            }
            cleanKafka(work);
        }
        if (only.contains("grouped")) {
            report.grouped(GroupedScenario.run(sizes, work, jar));
            cleanKafka(work);
        }
        if (only.contains("expiry")) {
            final List<ExpiryScenario.Result> expiry = ExpiryScenario.run(
                    sizes.expirySmall(), sizes.incidents(), sizes.expirySweeps(), ExpiryScenario.DUE_PER_SWEEP, work);
            log(
                    "expiry: median sweep %.1f ms at %,d incidents, %.1f ms at %,d",
                    expiry.get(0).medianTimerMs(),
                    expiry.get(0).storeSize(),
                    expiry.get(1).medianTimerMs(),
                    expiry.get(1).storeSize());
            log(
                    "expiry: index rebuild %.2f s at %,d incidents, %.2f s at %,d",
                    expiry.get(0).rebuildSeconds(),
                    expiry.get(0).storeSize(),
                    expiry.get(1).rebuildSeconds(),
                    expiry.get(1).storeSize());
            report.expiry(expiry.get(0), expiry.get(1));
        }
        if (only.contains("list")) {
            final ListScenario.Result list = ListScenario.run(sizes, work, jar);
            log(
                    "list: first %s; deep %s; filtered %s; rss %d MiB",
                    list.first(), list.deep(), list.filtered(), list.rssMib());
            report.list(list);
            cleanKafka(work);
        }
        if (only.contains("peer")) {
            final PeerScenario.Result peer = PeerScenario.run(sizes, work, jar, alertmanager);
            log(
                    "peer: ours %,.0f/s vs Alertmanager %,.0f/s; list ours %s vs theirs %s",
                    peer.oursPerSecond(), peer.theirsPerSecond(), peer.oursList(), peer.theirsList());
            report.peer(peer);
            cleanKafka(work);
        }
        if (only.contains("live")) {
            report.live(LiveScenario.run(sizes, work, jar));
            cleanKafka(work);
        }
        if (only.contains("notify")) {
            report.notify(NotifyScenario.run(sizes, work, jar));
            cleanKafka(work);
        }
        // A scale run's section (bench/run.sh --scale) stays: the two are run apart.
        final String scaleRun = scaleSection(read(results));
        Files.writeString(
                results, report.markdown() + (scaleRun.isEmpty() ? "" : "\n" + scaleRun), StandardCharsets.UTF_8);
        Files.writeString(summary, report.table() + report.benchLine() + "\n", StandardCharsets.UTF_8);
        log("wrote %s and %s", results, summary);
        System.exit(0);
    }

    /**
     * The scale run alone ({@link ScaleScenario}): {@code --scale-incidents N} (default
     * {@link #SCALE_INCIDENTS}) for shorter trials; its own section in the results (between
     * {@link #SCALE_BEGIN} and {@link #SCALE_END}, replaced by the next scale run, kept by a full or quick
     * run) and its own BENCH line.
     */
    private static void scale(
            final Sizes sizes,
            final Map<String, String> overrides,
            final Path work,
            final Path jar,
            final Path results,
            final Path summary,
            final String command)
            throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + " does not exist: build it with mvn -DskipTests package");
        }
        final long incidents = Long.parseLong(overrides
                .getOrDefault("scale-incidents", Long.toString(SCALE_INCIDENTS))
                .replace("_", ""));
        final ScaleScenario.Result result = ScaleScenario.run(incidents, sizes, work, jar);
        cleanKafka(work);
        final String section = SCALE_BEGIN + "\n\n`" + command + "` at " + java.time.Instant.now() + "\n\n"
                + result.markdown() + "\n" + SCALE_END + "\n";
        final String before = read(results);
        final String rest = before.replace(scaleSection(before), "");
        Files.writeString(
                results, (rest.isEmpty() ? "# Benchmark results\n" : rest) + "\n" + section, StandardCharsets.UTF_8);
        Files.writeString(summary, result.markdown() + "\n" + result.benchLine() + "\n", StandardCharsets.UTF_8);
        log("wrote %s and %s", results, summary);
    }

    static final String SCALE_BEGIN = "<!-- scale run: begin (bench/run.sh --scale rewrites this part only) -->";
    static final String SCALE_END = "<!-- scale run: end -->";

    /** The scale run's part of a results file (from its begin to its end marker), or "" when it has none. */
    static String scaleSection(final String results) {
        final int begin = results.indexOf(SCALE_BEGIN);
        final int end = results.indexOf(SCALE_END, Math.max(begin, 0));
        if (begin < 0 || end < 0) {
            return "";
        }
        final int after = end + SCALE_END.length();
        return results.substring(begin, after < results.length() && results.charAt(after) == '\n' ? after + 1 : after);
    }

    private static String read(final Path file) throws java.io.IOException {
        return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    /** Broker logs and state of finished scenarios are large; logs and the JFR recording stay. */
    private static void cleanKafka(final Path work) throws java.io.IOException {
        try (var dirs = Files.list(work)) {
            for (Path p : dirs.toList()) {
                final String name = p.getFileName().toString();
                if (Files.isDirectory(p)
                        && (name.startsWith("kafka-") || name.startsWith("app-") || name.startsWith("state-"))) {
                    ExpiryScenario.deleteTree(p);
                }
            }
        }
    }

    /** {@code NAME=value,NAME=value} → a map (empty text: none). */
    static Map<String, String> envList(final String text) {
        final Map<String, String> env = new HashMap<>();
        for (String pair : text.split(",", -1)) {
            if (!pair.isBlank()) {
                final int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("not NAME=value: " + pair);
                }
                env.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return env;
    }

    private static String required(final Map<String, String> args, final String name) {
        final String v = args.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    static void log(final String format, final Object... args) {
        System.out.println(LocalTime.now(ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS) + " "
                + String.format(Locale.ROOT, format, args));
    }
}
