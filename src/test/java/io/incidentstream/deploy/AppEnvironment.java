package io.incidentstream.deploy;

import io.incidentstream.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment variable names the app reads, so the deployment files cannot drift from them: the
 * {@link Settings} table (with its {@link Settings#STREAMS_PREFIX} passthrough) and, as a check that the
 * table misses nothing logback reads, the {@code ${NAME:-…}} of logback.xml.
 */
final class AppEnvironment {
    static final Path LOGBACK = Path.of("src", "main", "resources", "logback.xml");
    /** Read by the JVM itself, not the app. */
    static final Set<String> JVM = Set.of("JAVA_TOOL_OPTIONS");

    private static final Pattern LOGBACK_READ = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):-");

    private AppEnvironment() {}

    static Set<String> names() {
        final Set<String> names = new TreeSet<>();
        Settings.ALL.forEach(s -> names.add(s.name()));
        collect(LOGBACK_READ, read(LOGBACK), names);
        return names;
    }

    /** Whether the app (or the JVM) reads this variable. */
    static boolean known(final String name) {
        return Settings.isKnown(name) || JVM.contains(name);
    }

    private static void collect(final Pattern pattern, final String text, final Set<String> into) {
        final Matcher m = pattern.matcher(text);
        while (m.find()) {
            into.add(m.group(1));
        }
    }

    private static String read(final Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
