package io.incidentstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.codec.Json;
import io.incidentstream.config.Config;
import io.incidentstream.topology.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

/**
 * Scenarios 2 (list) and 4 (memory): {@code incidents} distinct alerts are produced to {@code alerts}
 * on a fresh broker, then the jar starts over them (6 partitions) and folds them into as many
 * incidents. Measured over one keep-alive HTTP connection, interleaved so that drift hits all three
 * alike: the first page (limit 100), the page {@code deep} pages down (its nextToken found by paging
 * there), a page filtered on {@code severity=critical} (1% of incidents), the first and a deep page
 * of an indexed label equality ({@code cell=cell-7}, 1%), and the same 1% by a regex the index cannot
 * answer (a scan of at most {@code LABEL_SCAN_BUDGET} entries; its page may be short). Then the app's RSS.
 */
final class ListScenario {
    static final String FIRST = "/incidents?limit=100";
    static final String FILTERED = "/incidents?limit=100&severity=critical";
    /** The list scenario indexes {@code cell} besides the defaults: an indexed label, 1% of incidents. */
    static final String INDEXED_LABELS = "service,team,env,host,cell";
    /** An equality on an indexed label: that value's own index ranges. */
    static final String LABELED = "/incidents?limit=100&label=cell%3Dcell-7";
    /** The same 1% by a regex, which the index cannot answer: a scan under LABEL_SCAN_BUDGET. */
    static final String REGEX = "/incidents?limit=100&label=cell%3D~cell-7";

    record Result(
            long incidents,
            double startToReadySeconds,
            double loadSeconds,
            Latencies first,
            Latencies deep,
            Latencies walk,
            Latencies filtered,
            long filteredCount,
            Latencies labeled,
            Latencies labeledDeep,
            int labeledDepth,
            long labeledCount,
            Latencies regex,
            double regexMatchesPerRequest,
            long rssAfterLoadMib,
            long rssMib,
            long peakRssMib,
            double heapUsedMib,
            String xmx) {}

    private ListScenario() {}

    static Result run(final Bench.Sizes sizes, final Path work, final Path jar) throws Exception {
        final Map<String, String> env = new HashMap<>(Bench.envList(sizes.appEnv()));
        env.put("APPLICATION_ID", "bench-list");
        env.putIfAbsent("INDEXED_LABELS", INDEXED_LABELS);
        try (BenchBroker broker = BenchBroker.start(work.resolve("kafka-list"), Bench.PARTITIONS)) {
            env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
            broker.createAppTopics(Config.from(env));
            final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            final AlertSet set =
                    AlertSet.distinct(sizes.incidents(), now.minus(Duration.ofHours(4)), Duration.ofDays(2));
            Bench.log("list: producing %,d alerts (one incident each) to %s", set.size(), Topics.ALERTS);
            broker.produce(Topics.ALERTS, set.size(), set::event);

            final long started = System.nanoTime();
            try (AppProcess app = AppProcess.start(
                    jar,
                    sizes.appXmx(),
                    broker.bootstrapServers(),
                    work.resolve("app-list"),
                    env,
                    work.resolve("app-list.log"))) {
                app.awaitReady(Duration.ofMinutes(5));
                final double ready = (System.nanoTime() - started) / 1e9;
                app.awaitConsumed(set.size(), Duration.ofMinutes(20));
                final double loaded = (System.nanoTime() - started) / 1e9;
                Bench.log("list: app ready after %.1f s, %,d incidents folded after %.1f s", ready, set.size(), loaded);
                final long rssAfterLoad = app.rssMib();
                final BenchHttp http = app.http();
                final long count = count(http, "/incidents?limit=1&includeCount=true");
                if (count != sizes.incidents()) {
                    throw new IllegalStateException(
                            "expected " + sizes.incidents() + " incidents, the API counts " + count);
                }
                final long filteredCount = count(http, FILTERED + "&includeCount=true");
                final long labeledCount = count(http, LABELED + "&includeCount=true");
                for (int i = 0; i < sizes.warmup(); i++) {
                    http.ok(FIRST);
                    http.ok(FILTERED);
                    http.ok(LABELED);
                    http.ok(REGEX);
                }
                final Latencies walk = new Latencies();
                final String deepPath = walk(http, FIRST, sizes.deepPage(), walk);
                final int labeledDepth = (int) Math.max(1, Math.min(sizes.deepPage(), labeledCount / 100));
                final String labeledDeepPath = walk(http, LABELED, labeledDepth, new Latencies());
                final Latencies first = new Latencies();
                final Latencies deep = new Latencies();
                final Latencies filtered = new Latencies();
                final Latencies labeled = new Latencies();
                final Latencies labeledDeep = new Latencies();
                final Latencies regex = new Latencies();
                long regexMatches = 0;
                for (int i = 0; i < sizes.listRepeats(); i++) {
                    first.add(page(http, FIRST, 100));
                    deep.add(page(http, deepPath, 100));
                    filtered.add(page(http, FILTERED, 100));
                    labeled.add(page(http, LABELED, 100));
                    labeledDeep.add(page(http, labeledDeepPath, 100));
                    final BenchHttp.Response r = http.ok(REGEX);
                    regex.add(r.millis());
                    regexMatches += Json.mapper().readTree(r.body()).get("data").size();
                }
                final double heap =
                        Metrics.sum(http.ok("/metrics").text(), "jvm_memory_used_bytes", "area=\"heap\"") / (1 << 20);
                return new Result(
                        count,
                        ready,
                        loaded,
                        first,
                        deep,
                        walk,
                        filtered,
                        filteredCount,
                        labeled,
                        labeledDeep,
                        labeledDepth,
                        labeledCount,
                        regex,
                        (double) regexMatches / sizes.listRepeats(),
                        rssAfterLoad,
                        app.rssMib(),
                        app.peakRssMib(),
                        heap,
                        sizes.appXmx());
            }
        }
    }

    /** Pages from the first page of {@code first} down to page {@code depth}; returns the path of page {@code depth}. */
    static String walk(final BenchHttp http, final String first, final int depth, final Latencies walk)
            throws IOException, InterruptedException {
        String path = first;
        for (int page = 1; page < depth; page++) {
            final BenchHttp.Response r = http.ok(path);
            walk.add(r.millis());
            final JsonNode token = Json.mapper().readTree(r.body()).get("nextToken");
            if (token == null) {
                throw new IllegalStateException(
                        "no page " + (page + 1) + ": the store holds too few incidents for depth " + depth);
            }
            path = first + "&nextToken=" + token.asText();
        }
        return path;
    }

    /** One timed GET, checked to hold {@code expected} incidents so an empty or error page never counts as fast. */
    static double page(final BenchHttp http, final String path, final int expected)
            throws IOException, InterruptedException {
        final BenchHttp.Response r = http.ok(path);
        final int size = Json.mapper().readTree(r.body()).get("data").size();
        if (size != expected) {
            throw new IllegalStateException("GET " + path + " returned " + size + " incidents, expected " + expected);
        }
        return r.millis();
    }

    static long count(final BenchHttp http, final String path) throws IOException, InterruptedException {
        return Json.mapper().readTree(http.ok(path).body()).get("count").asLong();
    }
}
