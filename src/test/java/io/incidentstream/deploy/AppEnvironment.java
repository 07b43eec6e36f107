package io.incidentstream.deploy;

import io.incidentstream.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment variable names the app reads, taken from its sources so the deployment files
 * cannot drift from them: every {@code p.text("NAME", …)}-style read in {@link Config#from}, the
 * {@code ${NAME:-…}} of logback.xml, and the {@link Config#STREAMS_PREFIX} passthrough.
 */
final class AppEnvironment {
    static final Path CONFIG_SOURCE = Path.of("src", "main", "java", "io", "incidentstream", "config", "Config.java");
    static final Path LOGBACK = Path.of("src", "main", "resources", "logback.xml");
    /** Read by the JVM itself, not the app. */
    static final Set<String> JVM = Set.of("JAVA_TOOL_OPTIONS");

    private static final Pattern CONFIG_READ =
            Pattern.compile("\\bp\\.(?:text|integer|duration|oneOf|size|optional)\\(\\s*\"([A-Z][A-Z0-9_]*)\"");
    private static final Pattern LOGBACK_READ = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):-");

    private AppEnvironment() {}

    static Set<String> names() {
        final Set<String> names = new TreeSet<>();
        collect(CONFIG_READ, read(CONFIG_SOURCE), names);
        collect(LOGBACK_READ, read(LOGBACK), names);
        return names;
    }

    /** Whether the app (or the JVM) reads this variable. */
    static boolean known(final String name) {
        return names().contains(name)
                || JVM.contains(name)
                || name.startsWith(Config.STREAMS_PREFIX) && name.length() > Config.STREAMS_PREFIX.length();
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
