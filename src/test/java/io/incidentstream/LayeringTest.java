package io.incidentstream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import io.incidentstream.testkit.GeneratedBlock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package layering, stated once: which of our packages each package may use. A class that uses
 * a package not listed for its own fails the build, and so does a listed arrow nothing uses any
 * more, so the table and the README's picture are always the code's real graph. After an intended
 * change, edit {@link #MAY_USE} and regenerate the picture with
 * {@code mvn test -Dtest=LayeringTest -Dlayers.docs.update=true}.
 */
class LayeringTest {
    private static final String BASE = "io.incidentstream";
    private static final Pattern STRING_LITERAL = Pattern.compile("\"(?:[^\"\\\\\n]|\\\\.)*\"");

    /** Package → the packages of ours it may use; the root package holds only {@code App}. */
    static final Map<String, Set<String>> MAY_USE = layers();

    private static Map<String, Set<String>> layers() {
        final Map<String, Set<String>> m = new LinkedHashMap<>();
        m.put("(root)", Set.of("runtime", "config"));
        m.put(
                "runtime",
                Set.of(
                        "http",
                        "query",
                        "topology",
                        "store",
                        "kafka",
                        "cluster",
                        "ingest",
                        "silence",
                        "metrics",
                        "notify",
                        "auth",
                        "model",
                        "config",
                        "errors"));
        m.put(
                "http",
                Set.of(
                        "query",
                        "grouping",
                        "cluster",
                        "ingest",
                        "silence",
                        "metrics",
                        "notify",
                        "auth",
                        "model",
                        "codec",
                        "errors"));
        m.put("notify", Set.of("model", "codec", "errors"));
        m.put("topology", Set.of("store", "grouping", "ingest", "metrics", "model", "codec", "config", "errors"));
        m.put("kafka", Set.of("query", "ingest", "model", "codec", "errors"));
        m.put("cluster", Set.of("query", "model", "codec", "errors"));
        m.put("metrics", Set.of("query", "model", "errors"));
        m.put("query", Set.of("store", "grouping", "silence", "model", "codec", "errors"));
        m.put("store", Set.of("grouping", "model", "codec", "errors"));
        m.put("grouping", Set.of("model", "errors"));
        m.put("ingest", Set.of("model", "codec", "errors"));
        m.put("silence", Set.of("model", "codec", "errors"));
        m.put("auth", Set.of());
        m.put("config", Set.of());
        m.put("model", Set.of());
        m.put("codec", Set.of());
        m.put("errors", Set.of());
        return m;
    }

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages(BASE);

    @Test
    void everyPackageUsesOnlyThePackagesItMayUse() {
        final List<String> wrong = new ArrayList<>();
        for (Dependency d : MAIN.stream()
                .flatMap(c -> c.getDirectDependenciesFromSelf().stream())
                .toList()) {
            final String from = packageOf(d.getOriginClass());
            final String to = packageOf(d.getTargetClass());
            if (to != null
                    && from != null
                    && !to.equals(from)
                    && !MAY_USE.getOrDefault(from, Set.of()).contains(to)) {
                wrong.add(from + " → " + to + ": " + d.getDescription());
            }
        }
        assertTrue(wrong.isEmpty(), "dependencies against the layering:\n" + String.join("\n", new TreeSet<>(wrong)));
    }

    @Test
    void everyPackageIsInTheTable() {
        final Set<String> packages = new TreeSet<>();
        MAIN.forEach(c -> packages.add(packageOf(c)));
        assertEquals(new TreeSet<>(MAY_USE.keySet()), packages, "add a new package to MAY_USE with what it may use");
    }

    @Test
    void everyAllowedArrowIsUsed() throws IOException {
        assertEquals(
                new TreeMap<>(MAY_USE.entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> new TreeSet<>(e.getValue())))),
                actualGraph(),
                "MAY_USE lists arrows the code no longer has: remove them, so the picture stays true");
    }

    @Test
    void packagesFormNoCycle() {
        SlicesRuleDefinition.slices()
                .matching(BASE + ".(*)..")
                .should()
                .beFreeOfCycles()
                .check(MAIN);
    }

    @Test
    void onlyTheStoreAndPeerDiscoveryTouchStreamsState() {
        noClasses()
                .that()
                .resideOutsideOfPackages(BASE + ".store..", BASE + ".cluster..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.apache.kafka.streams.state..")
                .because("store owns the state stores; cluster reads only HostInfo from Streams metadata")
                .check(MAIN);
    }

    @Test
    void theModelAndCodecsKnowNoKafkaNorHttp() {
        noClasses()
                .that()
                .resideInAnyPackage(BASE + ".model..", BASE + ".errors..", BASE + ".ingest..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.kafka..", "io.javalin..")
                .check(MAIN);
    }

    @Test
    void onlyTheHttpLayerAndTheRunnerKnowJavalin() {
        noClasses()
                .that()
                .resideOutsideOfPackages(BASE + ".http..", BASE + ".runtime..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.javalin..")
                .check(MAIN);
    }

    @Test
    void readmeShowsTheLayers() {
        new GeneratedBlock(Path.of("README.md"), "layers").check(mermaid());
    }

    /**
     * The table as a Mermaid flowchart, top to bottom. Arrows implied by a longer path are left out
     * (runtime uses store directly and through query; one arrow through query says enough).
     */
    static String mermaid() {
        final StringBuilder out = new StringBuilder("```mermaid\nflowchart TD\n");
        for (Map.Entry<String, Set<String>> e : MAY_USE.entrySet()) {
            for (String to : new TreeSet<>(e.getValue())) {
                if (!impliedByLongerPath(e.getKey(), to)) {
                    out.append("  ")
                            .append(node(e.getKey()))
                            .append(" --> ")
                            .append(node(to))
                            .append('\n');
                }
            }
        }
        return out.append("```\n").toString();
    }

    private static boolean impliedByLongerPath(final String from, final String to) {
        for (String via : MAY_USE.get(from)) {
            if (!via.equals(to) && reaches(via, to)) {
                return true;
            }
        }
        return false;
    }

    private static boolean reaches(final String from, final String to) {
        return MAY_USE.get(from).contains(to) || MAY_USE.get(from).stream().anyMatch(via -> reaches(via, to));
    }

    private static String node(final String pkg) {
        return pkg.equals("(root)") ? "App" : pkg;
    }

    /**
     * The graph the sources spell out. Read from the sources, not the bytecode, because javac inlines
     * constants (a route prefix shared with a peer client leaves no trace in the class file).
     */
    private static Map<String, Set<String>> actualGraph() throws IOException {
        final Map<String, Set<String>> graph = new TreeMap<>();
        final Path root = Path.of("src/main/java/io/incidentstream");
        final Pattern ours = Pattern.compile("\\bio\\.incidentstream\\.([a-z]+)\\.");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                final Path dir = root.relativize(file).getParent();
                final String from = dir == null ? "(root)" : dir.getName(0).toString();
                final Set<String> uses = graph.computeIfAbsent(from, k -> new TreeSet<>());
                // a class named inside a string (a command line in a message) is not a use of it
                final Matcher m = ours.matcher(
                        STRING_LITERAL.matcher(Files.readString(file)).replaceAll("\"\""));
                while (m.find()) {
                    if (!m.group(1).equals(from)) {
                        uses.add(m.group(1));
                    }
                }
            }
        }
        return graph;
    }

    /** Our top-level package of a class ({@code (root)} for the base package), or null for anything not ours. */
    private static String packageOf(final JavaClass c) {
        final String name = c.getPackageName();
        if (name.equals(BASE)) {
            return "(root)";
        }
        if (!name.startsWith(BASE + ".")) {
            return null;
        }
        final String rest = name.substring(BASE.length() + 1);
        final int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }
}
