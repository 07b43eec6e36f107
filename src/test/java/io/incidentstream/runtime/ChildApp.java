package io.incidentstream.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One instance of the shaded jar ({@code target/incident-stream.jar}) in its own JVM, so that a
 * test can SIGKILL it. Its output goes to {@code <name>.log} in the given directory; each start
 * appends, so one log tells the story of an instance across its restarts. The child JVM runs C1
 * only ({@code -XX:TieredStopAtLevel=1}): on 2 shared cores C2's compiler threads made a freshly
 * (re)started instance fold only about a hundred alerts a second for its first ten seconds; the
 * semantics under test do not depend on the JIT, and CrashIT takes half the time.
 */
final class ChildApp implements AutoCloseable {
    private static final Path JAR = Path.of("target", "incident-stream.jar");

    private final Map<String, String> env;
    private final Path log;
    private Process process;

    private ChildApp(final Map<String, String> env, final Path log) {
        this.env = Map.copyOf(env);
        this.log = log;
    }

    /** Starts the jar with {@code env} as its whole configuration (on top of the inherited environment). */
    static ChildApp start(final Map<String, String> env, final Path log) throws IOException {
        assertTrue(Files.exists(JAR), "the shaded jar is built in the package phase, before integration tests");
        final ChildApp child = new ChildApp(env, log);
        child.restart();
        return child;
    }

    /** Starts the process again with the same environment (same DATA_DIR, STATE_DIR, port). */
    void restart() throws IOException {
        final ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                JAR.toString());
        pb.environment().putAll(env);
        Files.writeString(
                log,
                "---- start ----\n",
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = pb.start();
    }

    /** SIGKILL: no shutdown hook, no commit, no flush; waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the child JVM did not die on SIGKILL");
    }

    /** SIGTERM: the shutdown hook closes the app cleanly; waits until the process is gone. */
    void terminate(final java.time.Duration within) throws InterruptedException {
        process.destroy();
        assertTrue(process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS), "the child JVM did not exit on SIGTERM");
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
