package io.incidentstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.codec.Json;
import io.incidentstream.config.Config;
import io.incidentstream.topology.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The scale run ({@code bench/run.sh --scale}): {@code scale-incidents} distinct alerts (10 million by
 * default) are produced, then the jar starts over them with its default settings and folds them. Then
 * the list latencies (first page, a deep page, a filtered page), RSS, the ready time after a clean
 * restart (SIGTERM, start again over the same state: the indexes are trusted, nothing is rebuilt),
 * and, after the local state directory is deleted, the restore plus index rebuild: its duration, the
 * answers the list gave meanwhile (503 with {@code Retry-After}, never a stall or a partial page), and
 * whether the stream thread kept folding new alerts during the rebuild.
 */
final class ScaleScenario {
    /** Alerts produced once the app restarts without its state: folded during the rebuild, or the thread stalls. */
    static final int DURING_REBUILD = 1_000;

    record Result(
            long incidents,
            double produceSeconds,
            double foldSeconds,
            Latencies first,
            Latencies deep,
            Latencies filtered,
            long rssMib,
            long peakRssMib,
            double restartReadySeconds,
            double restartRebuilds,
            double lostStateReadySeconds,
            double rebuildSecondsMax,
            double rebuildSecondsSum,
            double rebuildCount,
            long answers503,
            long answers503WithoutRetryAfter,
            long otherAnswers,
            double firstNewAlertFoldedSeconds,
            long rssAfterRebuildMib) {

        String markdown() {
            return String.format(
                    Locale.ROOT,
                    """
                    ## Scale (%,d incidents, default settings)

                    | measure | value |
                    |---|---|
                    | produce | %.1f s |
                    | folded (start to all applied) | %.1f s |
                    | list first page (limit 100) | %s |
                    | list deep page | %s |
                    | list filtered (severity=critical) | %s |
                    | filtered p99 / first p99 | %.2f |
                    | RSS after the list / peak | %d MiB / %d MiB |
                    | ready after a clean restart (first 200 of a list) | %.1f s (index rebuilds: %.0f) |
                    | lost local state: first 200 of a list (restore + rebuild) | %.1f s |
                    | index rebuild (max of one partition / sum / partitions) | %.1f s / %.1f s / %.0f |
                    | list answers meanwhile | %,d × 503 (%d without Retry-After), %d other non-200 |
                    | first of %,d new alerts folded after the restart | %.1f s |
                    | RSS after the rebuild | %d MiB |
                    """,
                    incidents,
                    produceSeconds,
                    foldSeconds,
                    first,
                    deep,
                    filtered,
                    filtered.p99() / first.p99(),
                    rssMib,
                    peakRssMib,
                    restartReadySeconds,
                    restartRebuilds,
                    lostStateReadySeconds,
                    rebuildSecondsMax,
                    rebuildSecondsSum,
                    rebuildCount,
                    answers503,
                    answers503WithoutRetryAfter,
                    otherAnswers,
                    DURING_REBUILD,
                    firstNewAlertFoldedSeconds,
                    rssAfterRebuildMib);
        }

        String benchLine() {
            return String.format(
                    Locale.ROOT,
                    "BENCH scale incidents=%d fold_s=%.1f first_p99_ms=%.2f deep_p99_ms=%.2f filtered_p99_ms=%.2f"
                            + " rss_mib=%d restart_ready_s=%.1f restart_rebuilds=%.0f lost_state_ready_s=%.1f"
                            + " rebuild_max_s=%.1f answers_503=%d other_non_200=%d",
                    incidents,
                    foldSeconds,
                    first.p99(),
                    deep.p99(),
                    filtered.p99(),
                    rssMib,
                    restartReadySeconds,
                    restartRebuilds,
                    lostStateReadySeconds,
                    rebuildSecondsMax,
                    answers503,
                    otherAnswers);
        }
    }

    private ScaleScenario() {}

    static Result run(final long incidents, final Bench.Sizes sizes, final Path work, final Path jar) throws Exception {
        final Map<String, String> env = new HashMap<>(Bench.envList(sizes.appEnv()));
        env.put("APPLICATION_ID", "bench-scale");
        final Path data = work.resolve("app-scale");
        try (BenchBroker broker = BenchBroker.start(work.resolve("kafka-scale"), Bench.PARTITIONS)) {
            env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
            broker.createAppTopics(Config.from(env));
            final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            // valid for long enough that nothing expires while the run lasts
            final AlertSet set = AlertSet.distinct(incidents, now.minus(Duration.ofHours(4)), Duration.ofDays(7));
            Bench.log("scale: producing %,d alerts (one incident each) to %s", set.size(), Topics.ALERTS);
            final long produceStart = System.nanoTime();
            broker.produce(Topics.ALERTS, set.size(), set::event);
            final double produced = seconds(produceStart);

            final Latencies first = new Latencies();
            final Latencies deep = new Latencies();
            final Latencies filtered = new Latencies();
            final double folded;
            final long rss;
            final long peak;
            final long started = System.nanoTime();
            try (AppProcess app = start(jar, sizes, broker, data, env, work, "1")) {
                app.awaitReady(Duration.ofMinutes(10));
                app.awaitConsumed(set.size(), Duration.ofHours(3));
                folded = seconds(started);
                Bench.log("scale: %,d incidents folded after %.1f s", set.size(), folded);
                measureList(app.http(), sizes, incidents, first, deep, filtered);
                rss = app.rssMib();
                peak = app.peakRssMib();
                Bench.log("scale: first %s; deep %s; filtered %s; rss %d MiB", first, deep, filtered, rss);
            }

            final double restartReady;
            final double restartRebuilds;
            final long restarted = System.nanoTime();
            try (AppProcess app = start(jar, sizes, broker, data, env, work, "2")) {
                final Polled p = pollUntilOk(app.port(), Duration.ofMinutes(10));
                restartReady = seconds(restarted);
                restartRebuilds = app.metric("incidents_index_rebuild_seconds_count");
                Bench.log(
                        "scale: clean restart served a list after %.1f s (%d × 503 before; %.0f index rebuilds)",
                        restartReady, p.answers503, restartRebuilds);
            }

            ExpiryScenario.deleteTree(data.resolve("state"));
            Bench.log("scale: deleted %s; restarting without local state", data.resolve("state"));
            final long lost = System.nanoTime();
            try (AppProcess app = start(jar, sizes, broker, data, env, work, "3")) {
                final AlertSet more = AlertSet.distinct(
                        incidents + DURING_REBUILD, now.minus(Duration.ofHours(4)), Duration.ofDays(7));
                final Polled p;
                final double firstNew;
                try (NewAlerts fresh = NewAlerts.start(broker, more, incidents, app)) {
                    p = pollUntilOk(app.port(), Duration.ofHours(2));
                    firstNew = fresh.firstFoldedSeconds(lost);
                }
                final double lostReady = seconds(lost);
                final String metrics = app.http().ok("/metrics").text();
                final double rebuildSum = Metrics.sum(metrics, "incidents_index_rebuild_seconds_sum", null);
                final double rebuildMax = Metrics.sum(metrics, "incidents_index_rebuild_seconds_max", null);
                final double rebuildCount = Metrics.sum(metrics, "incidents_index_rebuild_seconds_count", null);
                Bench.log(
                        "scale: without local state a list was served after %.1f s: %d × 503 (%d without"
                                + " Retry-After), %d other; rebuild max %.1f s over %.0f partitions; first new alert"
                                + " folded after %.1f s",
                        lostReady, p.answers503, p.withoutRetryAfter, p.other, rebuildMax, rebuildCount, firstNew);
                return new Result(
                        incidents,
                        produced,
                        folded,
                        first,
                        deep,
                        filtered,
                        rss,
                        peak,
                        restartReady,
                        restartRebuilds,
                        lostReady,
                        rebuildMax,
                        rebuildSum,
                        rebuildCount,
                        p.answers503,
                        p.withoutRetryAfter,
                        p.other,
                        firstNew,
                        app.rssMib());
            }
        }
    }

    private static AppProcess start(
            final Path jar,
            final Bench.Sizes sizes,
            final BenchBroker broker,
            final Path data,
            final Map<String, String> env,
            final Path work,
            final String run)
            throws IOException {
        return AppProcess.start(
                jar, sizes.appXmx(), broker.bootstrapServers(), data, env, work.resolve("app-scale-" + run + ".log"));
    }

    /** First, deep and filtered pages over one keep-alive connection, interleaved as in {@link ListScenario}. */
    private static void measureList(
            final BenchHttp http,
            final Bench.Sizes sizes,
            final long incidents,
            final Latencies first,
            final Latencies deep,
            final Latencies filtered)
            throws IOException, InterruptedException {
        final long count = ListScenario.count(http, "/incidents?limit=1&includeCount=true");
        if (count != incidents) {
            throw new IllegalStateException("expected " + incidents + " incidents, the API counts " + count);
        }
        for (int i = 0; i < sizes.warmup(); i++) {
            http.ok(ListScenario.FIRST);
            http.ok(ListScenario.FILTERED);
        }
        final String deepPath = ListScenario.walk(http, ListScenario.FIRST, sizes.deepPage(), new Latencies());
        for (int i = 0; i < sizes.listRepeats(); i++) {
            first.add(ListScenario.page(http, ListScenario.FIRST, 100));
            deep.add(ListScenario.page(http, deepPath, 100));
            filtered.add(ListScenario.page(http, ListScenario.FILTERED, 100));
        }
    }

    /** What a client polling the list saw until its first 200. */
    private record Polled(long answers503, long withoutRetryAfter, long other) {}

    /**
     * Polls the first page every 100 ms from a client of its own (it reads {@code Retry-After}) until a
     * 200; connection refusals while the app starts are not answers.
     */
    private static Polled pollUntilOk(final int port, final Duration timeout) throws InterruptedException {
        final HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        final HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + ListScenario.FIRST))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        final long deadline = System.nanoTime() + timeout.toNanos();
        long answers503 = 0;
        long withoutRetryAfter = 0;
        long other = 0;
        while (System.nanoTime() < deadline) {
            try {
                final HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() == 200) {
                    final JsonNode body = Json.mapper().readTree(r.body());
                    if (body.get("data").size() != 100) {
                        throw new IllegalStateException(
                                "a first page of " + body.get("data").size() + " incidents");
                    }
                    return new Polled(answers503, withoutRetryAfter, other);
                }
                if (r.statusCode() == 503) {
                    answers503++;
                    if (r.headers().firstValue("Retry-After").isEmpty()) {
                        withoutRetryAfter++;
                    }
                } else {
                    other++;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no list answered within " + timeout);
    }

    private static double seconds(final long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    /**
     * Produces {@link #DURING_REBUILD} new alerts as soon as the restarted app starts, and watches its
     * {@code alerts_consumed_total} on a thread of its own: when the first of them is folded tells
     * whether the stream thread keeps folding while the indexes are rebuilt.
     */
    private static final class NewAlerts implements AutoCloseable {
        private final Thread watcher;
        private volatile long foldedAt;

        private NewAlerts(final Thread watcher) {
            this.watcher = watcher;
        }

        static NewAlerts start(final BenchBroker broker, final AlertSet set, final long from, final AppProcess app) {
            final NewAlerts[] self = new NewAlerts[1];
            final Thread t = new Thread(
                    () -> {
                        broker.produce(Topics.ALERTS, DURING_REBUILD, i -> set.event(from + i));
                        while (!Thread.currentThread().isInterrupted()) {
                            try {
                                if (app.metric("alerts_consumed_total") >= 1) {
                                    self[0].foldedAt = System.nanoTime();
                                    return;
                                }
                            } catch (IOException | RuntimeException e) {
                                // not listening yet
                            } catch (InterruptedException e) {
                                return;
                            }
                            try {
                                Thread.sleep(100);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "scale-new-alerts");
            self[0] = new NewAlerts(t);
            t.setDaemon(true);
            t.start();
            return self[0];
        }

        /** Seconds from {@code sinceNanos} to the first new alert folded; NaN if none was before this call. */
        double firstFoldedSeconds(final long sinceNanos) {
            final long at = foldedAt;
            return at == 0 ? Double.NaN : (at - sinceNanos) / 1e9;
        }

        @Override
        public void close() {
            watcher.interrupt();
        }
    }
}
