package io.incidentstream.bench;

import io.incidentstream.codec.Json;
import io.incidentstream.testkit.Ports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Scenario 5: the same alerts into a real Prometheus Alertmanager and into us, through the same
 * client, batch size and concurrency: its {@code POST /api/v2/alerts} (postable alerts) against our
 * {@code POST /alerts} (native JSON; 202 once the broker acknowledged the batch). Then, holding the
 * same alerts, listing: our first page (limit 100) against its {@code GET /api/v2/alerts} (which
 * has no paging: every active alert, every time), interleaved. Request bodies are built before the
 * clock starts; ours is measured first, and Alertmanager starts only after our topology has
 * applied every event, so neither runs while the other is measured.
 */
final class PeerScenario {
    static final String AM_CONFIG = """
        # incident-stream benchmark: no notifications, one route, the defaults for everything else
        route:
          receiver: blackhole
        receivers:
          - name: blackhole
        """;

    record Result(
            long events,
            int batch,
            int concurrency,
            double oursPerSecond,
            double theirsPerSecond,
            long oursActive,
            long theirsActive,
            Latencies oursList,
            Latencies theirsList,
            long oursRssMib,
            long theirsRssMib,
            String amVersion) {}

    private PeerScenario() {}

    static Result run(final Bench.Sizes sizes, final Path work, final Path jar, final String alertmanager)
            throws Exception {
        final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        final AlertSet set = AlertSet.ingest(sizes.peerEvents(), now.minus(Duration.ofHours(1)), Duration.ofHours(4));
        final int batch = sizes.peerBatch();
        final int concurrency = sizes.peerConcurrency();
        try (BenchBroker broker = BenchBroker.start(work.resolve("kafka-peer"), Bench.PARTITIONS);
                AppProcess app = AppProcess.start(
                        jar,
                        sizes.appXmx(),
                        broker.bootstrapServers(),
                        work.resolve("app-peer"),
                        appEnv(sizes),
                        work.resolve("app-peer.log"))) {
            app.awaitReady(Duration.ofMinutes(5));
            final List<byte[]> ourBodies = batches(set, batch, AlertSet.Event::nativeJson);
            final Path profile = work.resolve("peer-app.jfr");
            if (sizes.profile()) {
                jcmd(app.pid(), "JFR.start", "name=peer", "settings=profile");
            }
            final CpuTimes oursStart = CpuTimes.now(app.pid(), List.of());
            final double ours = postAll(app.http(), "/alerts", ourBodies, concurrency, 202);
            logCpu("ours", CpuTimes.now(app.pid(), List.of()).since(oursStart), set.size());
            if (sizes.profile()) {
                jcmd(app.pid(), "JFR.stop", "name=peer", "filename=" + profile.toAbsolutePath());
                Bench.log("peer: JFR of the app while it accepted the alerts: %s", profile);
            }
            Bench.log(
                    "peer: ours accepted %,d alerts at %,.0f/s; waiting for the topology to apply them",
                    set.size(), set.size() / ours);
            app.awaitConsumed(set.size(), Duration.ofMinutes(20));

            final int amPort = Ports.freePort();
            final Process am = startAlertmanager(alertmanager, work, amPort);
            try {
                final BenchHttp amHttp = new BenchHttp(amPort);
                amHttp.awaitOk("/-/ready", Duration.ofSeconds(60), am);
                final List<byte[]> theirBodies = batches(set, batch, AlertSet.Event::alertmanagerJson);
                final CpuTimes theirsStart = CpuTimes.now(am.pid(), List.of());
                final double theirs = postAll(amHttp, "/api/v2/alerts", theirBodies, concurrency, 200);
                logCpu("Alertmanager", CpuTimes.now(am.pid(), List.of()).since(theirsStart), set.size());
                Bench.log("peer: Alertmanager accepted %,d alerts at %,.0f/s", set.size(), set.size() / theirs);
                final long oursActive = Json.mapper()
                        .readTree(app.http()
                                .ok("/incidents?status=ACTIVE&limit=1&includeCount=true")
                                .body())
                        .get("count")
                        .asLong();
                final long theirsActive = Json.mapper()
                        .readTree(amHttp.ok("/api/v2/alerts").body())
                        .size();
                final Latencies oursList = new Latencies();
                final Latencies theirsList = new Latencies();
                for (int i = 0; i < sizes.peerListRepeats() + sizes.peerListWarmup(); i++) {
                    final double o = app.http().ok(ListScenario.FIRST).millis();
                    final double t = amHttp.ok("/api/v2/alerts").millis();
                    if (i >= sizes.peerListWarmup()) {
                        oursList.add(o);
                        theirsList.add(t);
                    }
                }
                return new Result(
                        set.size(),
                        batch,
                        concurrency,
                        set.size() / ours,
                        set.size() / theirs,
                        oursActive,
                        theirsActive,
                        oursList,
                        theirsList,
                        app.rssMib(),
                        ChildJvm.memoryMib(am.pid(), "VmRSS"),
                        version(alertmanager));
            } finally {
                am.destroy();
                if (!am.waitFor(30, TimeUnit.SECONDS)) {
                    am.destroyForcibly();
                }
            }
        }
    }

    private static Map<String, String> appEnv(final Bench.Sizes sizes) {
        final Map<String, String> env = new HashMap<>(Bench.envList(sizes.appEnv()));
        env.put("APPLICATION_ID", "bench-peer");
        return env;
    }

    private static Process startAlertmanager(final String binary, final Path work, final int port) throws IOException {
        final Path dir = Files.createDirectories(work.resolve("alertmanager"));
        final Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, AM_CONFIG);
        return ChildJvm.start(
                List.of(
                        binary,
                        "--config.file=" + config,
                        "--storage.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--cluster.listen-address=",
                        "--log.level=warn"),
                Map.of(),
                work.resolve("alertmanager.log"));
    }

    /** JSON arrays of {@code batch} alerts each, in event order. */
    private static List<byte[]> batches(
            final AlertSet set, final int batch, final Function<AlertSet.Event, String> json) {
        final List<byte[]> bodies = new ArrayList<>();
        StringBuilder body = new StringBuilder("[");
        for (long i = 0; i < set.size(); i++) {
            if (body.length() > 1) {
                body.append(',');
            }
            body.append(json.apply(set.event(i)));
            if ((i + 1) % batch == 0 || i == set.size() - 1) {
                bodies.add(body.append(']').toString().getBytes(StandardCharsets.UTF_8));
                body = new StringBuilder("[");
            }
        }
        return bodies;
    }

    /** Posts every body with {@code concurrency} requests in flight; returns the seconds it took. */
    static double postAll(
            final BenchHttp http,
            final String path,
            final List<byte[]> bodies,
            final int concurrency,
            final int expectedStatus)
            throws Exception {
        final AtomicInteger next = new AtomicInteger();
        final ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            final List<Future<Void>> senders = new ArrayList<>();
            final long start = System.nanoTime();
            for (int c = 0; c < concurrency; c++) {
                senders.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                        final BenchHttp.Response r = http.post(path, bodies.get(i));
                        if (r.status() != expectedStatus) {
                            throw new IllegalStateException("POST " + path + " -> " + r.status() + " " + r.text());
                        }
                    }
                    return null;
                }));
            }
            for (Future<Void> f : senders) {
                f.get();
            }
            return (System.nanoTime() - start) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * CPU per accepted alert while one side was posted to: the server's process (ours holds the fold
     * too), this harness (the client, and for ours the broker), and the whole machine (other work).
     */
    private static void logCpu(final String who, final CpuTimes used, final long alerts) {
        Bench.log(
                "peer: %s CPU %.1f µs/alert in its process, %.1f µs/alert in the harness (client%s), machine busy %.1f s",
                who,
                used.appSeconds() * 1e6 / alerts,
                used.harnessSeconds() * 1e6 / alerts,
                "ours".equals(who) ? ", broker" : "",
                used.machineBusySeconds());
    }

    /** Runs {@code jcmd <pid> <args>} (the JDK's, next to this JVM's java) and waits for it. */
    private static void jcmd(final long pid, final String... args) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid)));
        command.addAll(List.of(args));
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", args) + " failed: " + out);
        }
    }

    private static String version(final String binary) {
        try {
            final Process p = new ProcessBuilder(binary, "--version")
                    .redirectErrorStream(true)
                    .start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out.lines().findFirst().orElse("?").trim();
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }
}
