package io.incidentstream.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Child processes of the harness: JVMs on the harness's own classpath or the shaded jar, and others. */
final class ChildJvm {
    private ChildJvm() {}

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code java <jvmArgs> -cp <our classpath> mainClass args}, output to {@code log}. */
    static Process onClasspath(
            final List<String> jvmArgs, final Class<?> mainClass, final List<String> args, final Path log)
            throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        return start(command, Map.of(), log);
    }

    static Process start(final List<String> command, final Map<String, String> env, final Path log) throws IOException {
        final ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return pb.start();
    }

    /** Waits for a child to exit 0 within the timeout, else fails with the tail of its log. */
    static void await(final Process p, final long timeoutSeconds, final Path log)
            throws IOException, InterruptedException {
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException(
                    "child did not finish in " + timeoutSeconds + " s; log " + log + ":\n" + tail(log));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("child exited " + p.exitValue() + "; log " + log + ":\n" + tail(log));
        }
    }

    /** The last line of {@code log} starting with {@code prefix}. */
    static Optional<String> lastLine(final Path log, final String prefix) throws IOException {
        final List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith(prefix)) {
                return Optional.of(lines.get(i));
            }
        }
        return Optional.empty();
    }

    static String tail(final Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        final List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** Resident set size of a process in MiB ({@code VmRSS}, or {@code VmHWM} for the peak), from /proc. */
    static long memoryMib(final long pid, final String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8)) {
            if (line.startsWith(field + ":")) {
                final String kb = line.substring(field.length() + 1).trim().split("\\s+", -1)[0];
                return Long.parseLong(kb) / 1024;
            }
        }
        throw new IllegalStateException(field + " not in /proc/" + pid + "/status");
    }
}
