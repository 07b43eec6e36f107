package io.incidentstream.runtime;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A real program the end-to-end tests drive (Alertmanager, Prometheus, kcat), started with
 * {@link ProcessBuilder} and its output kept in a log file for failure messages. Closing stops it:
 * SIGTERM, then SIGKILL if it has not exited within five seconds.
 */
final class ExternalProgram implements AutoCloseable {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private final Process process;
    private final Path log;

    private ExternalProgram(final String name, final Process process, final Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * The binary's path. When it is not installed the calling test is skipped with a message saying
     * how to get it, except under {@code CI=true}: CI installs it ({@code .ci/run}), so there a
     * missing binary is a failure, never a silent skip.
     */
    static String require(final String binary, final String debianPackage) {
        final Optional<Path> found = onPath(binary);
        if (found.isPresent()) {
            return found.get().toString();
        }
        final String message = binary + " is not installed: `apt-get install -y " + debianPackage
                + "` (.ci/run installs it when missing)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message);
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    private static Optional<Path> onPath(final String binary) {
        final String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        // like String.split: trailing empty entries are dropped
        for (String dir :
                Pattern.compile(File.pathSeparator).splitAsStream(path).toList()) {
            final Path candidate = Path.of(dir, binary);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Starts {@code command} in {@code workDir}, output (both streams) to {@code workDir/<name>.log}. */
    static ExternalProgram start(final String name, final Path workDir, final List<String> command) {
        return start(name, workDir, command, null);
    }

    /** As {@link #start(String, Path, List)}, writing {@code stdin} to the program and closing its input. */
    static ExternalProgram start(
            final String name, final Path workDir, final List<String> command, final String stdin) {
        final Path log = workDir.resolve(name + ".log");
        try {
            final Process process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            return new ExternalProgram(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
    }

    /** Waits for the program to end by itself; its exit code, or a failure naming its output. */
    int awaitExit(final Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            fail(name + " did not finish within " + timeout + "; output:\n" + output());
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the program printed so far (bounded), for assertion messages. */
    String output() {
        try {
            final String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.length() <= 8000 ? text : "…" + text.substring(text.length() - 8000);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
