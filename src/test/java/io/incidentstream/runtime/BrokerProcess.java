package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.testkit.Ports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EmbeddedKafka} broker in a JVM of its own, so that a test can SIGKILL it: no controlled
 * shutdown, no leadership handed over, no connection closed politely. Its clients see what they see
 * when a broker host dies: connections reset, then refused, and metadata that never answers. (An
 * in-JVM {@link EmbeddedKafka#close()} is a clean stop, which clients learn about from the broker.)
 */
final class BrokerProcess implements AutoCloseable {
    private static final String READY = "BROKER READY ";
    private static final Duration START = Duration.ofSeconds(60);

    private final Process process;
    private final int port;

    private BrokerProcess(final Process process, final int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts the broker on loopback with its data in {@code logDir} and returns once it serves. Started
     * again on the same directory and port, it finds its topics and offsets again.
     *
     * @param port the client port; 0 picks a free one
     * @param log  where the child's output is appended
     */
    static BrokerProcess start(final Path logDir, final int port, final int partitions, final Path log)
            throws IOException {
        final int clientPort = port == 0 ? Ports.freePort() : port;
        final ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                BrokerProcess.class.getName(),
                logDir.toString(),
                Integer.toString(clientPort),
                Integer.toString(partitions));
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        final long readyBefore = readyLines(log);
        final Process process = pb.start();
        final BrokerProcess broker = new BrokerProcess(process, clientPort);
        await().atMost(START).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertTrue(process.isAlive(), () -> "the broker JVM exited; see " + log);
            return readyLines(log) > readyBefore;
        });
        return broker;
    }

    private static long readyLines(final Path log) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.startsWith(READY)).count();
        }
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** SIGKILL; returns once the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the broker JVM did not die on SIGKILL");
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    /** The child's entry point: {@code logDir port partitions}; serves until killed. */
    public static void main(final String[] args) throws InterruptedException {
        final EmbeddedKafka broker =
                EmbeddedKafka.start(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        System.out.println(READY + broker.bootstrapServers());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
