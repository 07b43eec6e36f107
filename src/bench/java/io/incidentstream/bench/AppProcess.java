package io.incidentstream.bench;

import io.incidentstream.testkit.Ports;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The application as it is deployed: the shaded jar in its own JVM ({@code java -Xmx… -jar
 * target/incident-stream.jar}), configured only through its environment, pointed at the
 * scenario's broker (so its RSS is the application's, not a broker's) and stopped with SIGTERM.
 */
final class AppProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final BenchHttp http;

    private AppProcess(final Process process, final int port) {
        this.process = process;
        this.port = port;
        this.http = new BenchHttp(port);
    }

    /**
     * @param env application settings on top of the bench defaults (bootstrap, data dir, port, WARN logging)
     */
    static AppProcess start(
            final Path jar,
            final String xmx,
            final String bootstrap,
            final Path dataDir,
            final Map<String, String> env,
            final Path log)
            throws IOException {
        return start(jar, xmx, List.of(), bootstrap, dataDir, env, log);
    }

    /** As {@link #start(Path, String, String, Path, Map, Path)}, with more JVM options (a JFR recording …). */
    static AppProcess start(
            final Path jar,
            final String xmx,
            final List<String> jvmArgs,
            final String bootstrap,
            final Path dataDir,
            final Map<String, String> env,
            final Path log)
            throws IOException {
        final int port = Ports.freePort();
        final Map<String, String> all = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS",
                bootstrap,
                "DATA_DIR",
                dataDir.toString(),
                "HTTP_PORT",
                Integer.toString(port),
                "APPLICATION_SERVER",
                "127.0.0.1:" + port,
                "LOG_LEVEL",
                "WARN"));
        all.putAll(env);
        final List<String> command = new java.util.ArrayList<>(List.of(ChildJvm.java(), "-Xmx" + xmx));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString()));
        final Process p = ChildJvm.start(command, all, log);
        return new AppProcess(p, port);
    }

    BenchHttp http() {
        return http;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    void awaitReady(final Duration timeout) throws InterruptedException {
        http.awaitOk("/health/ready", timeout, process);
    }

    /** Sum over all series of one metric in the app's Prometheus text ({@code alerts_consumed_total} …). */
    double metric(final String name) throws IOException, InterruptedException {
        return Metrics.sum(http.ok("/metrics").text(), name, null);
    }

    /** Waits until the topology has applied {@code events} alert events (whatever their outcome). */
    void awaitConsumed(final long events, final Duration timeout) throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (metric("alerts_consumed_total") < events) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IllegalStateException(
                        "only " + metric("alerts_consumed_total") + " of " + events + " alerts applied");
            }
            Thread.sleep(250);
        }
    }

    long rssMib() throws IOException {
        return ChildJvm.memoryMib(process.pid(), "VmRSS");
    }

    long peakRssMib() throws IOException {
        return ChildJvm.memoryMib(process.pid(), "VmHWM");
    }

    /** SIGTERM, as an orchestrator stops it; SIGKILL if it has not stopped within a minute. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
