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
 * there), and a page filtered on {@code severity=critical} (1% of incidents). Then the app's RSS.
 */
final class ListScenario {
    static final String FIRST = "/incidents?limit=100";
    static final String FILTERED = "/incidents?limit=100&severity=critical";

    record Result(
            long incidents,
            double startToReadySeconds,
            double loadSeconds,
            Latencies first,
            Latencies deep,
            Latencies walk,
            Latencies filtered,
            long filteredCount,
            long rssAfterLoadMib,
            long rssMib,
            long peakRssMib,
            double heapUsedMib,
            String xmx) {}

    private ListScenario() {}

    static Result run(final Bench.Sizes sizes, final Path work, final Path jar) throws Exception {
        final Map<String, String> env = new HashMap<>(Bench.envList(sizes.appEnv()));
        env.put("APPLICATION_ID", "bench-list");
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
                for (int i = 0; i < sizes.warmup(); i++) {
                    http.ok(FIRST);
                    http.ok(FILTERED);
                }
                final Latencies walk = new Latencies();
                final String deepPath = walk(http, sizes.deepPage(), walk);
                final Latencies first = new Latencies();
                final Latencies deep = new Latencies();
                final Latencies filtered = new Latencies();
                for (int i = 0; i < sizes.listRepeats(); i++) {
                    first.add(page(http, FIRST, 100));
                    deep.add(page(http, deepPath, 100));
                    filtered.add(page(http, FILTERED, 100));
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
                        rssAfterLoad,
                        app.rssMib(),
                        app.peakRssMib(),
                        heap,
                        sizes.appXmx());
            }
        }
    }

    /** Pages from the first page down to page {@code depth}; returns the path of page {@code depth}. */
    private static String walk(final BenchHttp http, final int depth, final Latencies walk)
            throws IOException, InterruptedException {
        String path = FIRST;
        for (int page = 1; page < depth; page++) {
            final BenchHttp.Response r = http.ok(path);
            walk.add(r.millis());
            final JsonNode token = Json.mapper().readTree(r.body()).get("nextToken");
            if (token == null) {
                throw new IllegalStateException(
                        "no page " + (page + 1) + ": the store holds too few incidents for depth " + depth);
            }
            path = FIRST + "&nextToken=" + token.asText();
        }
        return path;
    }

    /** One timed GET, checked to hold {@code expected} incidents so an empty or error page never counts as fast. */
    private static double page(final BenchHttp http, final String path, final int expected)
            throws IOException, InterruptedException {
        final BenchHttp.Response r = http.ok(path);
        final int size = Json.mapper().readTree(r.body()).get("data").size();
        if (size != expected) {
            throw new IllegalStateException("GET " + path + " returned " + size + " incidents, expected " + expected);
        }
        return r.millis();
    }

    private static long count(final BenchHttp http, final String path) throws IOException, InterruptedException {
        return Json.mapper().readTree(http.ok(path).body()).get("count").asLong();
    }
}
