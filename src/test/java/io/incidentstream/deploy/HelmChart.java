package io.incidentstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * helm/incident-stream driven through real Helm (helm-java embeds Helm's Go code as a native
 * library): lint, and render with values into parsed Kubernetes objects, as on install or on upgrade.
 */
final class HelmChart {
    static final Path CHART = Path.of("helm", "incident-stream");
    static final String RELEASE = "inc";
    static final String NAMESPACE = "alerts";
    /** A supported Kubernetes for the render (Helm assumes v1.20 otherwise, below Chart.yaml's kubeVersion). */
    static final String KUBE_VERSION = "1.31.0";

    /** What Helm sets on an upgrade instead of an install, by the expression a template reads. */
    private static final Map<Pattern, String> AS_UPGRADE = Map.of(
            Pattern.compile("\\$?\\.Release\\.IsInstall\\b"), "false",
            Pattern.compile("\\$?\\.Release\\.IsUpgrade\\b"), "true");

    private static final YAMLMapper YAML = new YAMLMapper();

    private HelmChart() {}

    static LintResult lint() {
        return new Helm(CHART).lint().strict().call();
    }

    /** The objects {@code helm install} renders with these {@code --set} values (may be empty). */
    static Rendered template(final Map<String, Object> values) {
        return render(CHART, values);
    }

    /** As {@link #template(Map)} with a values file. */
    static Rendered template(final Path valuesFile) {
        return new Rendered(parse(command(CHART).withValuesFile(valuesFile).call()));
    }

    /**
     * The objects {@code helm upgrade} renders with these values: {@code .Release.IsInstall} false and
     * {@code .Release.IsUpgrade} true. helm-java's template has no switch for that (the CLI's {@code
     * --is-upgrade}), so a copy of the chart with those two written in is rendered. Fails if the chart reads
     * neither, which would make the result an install render under another name.
     */
    static Rendered upgrade(final Map<String, Object> values) {
        try {
            final Path copy = copyAsUpgrade();
            try {
                return render(copy, values);
            } finally {
                delete(copy.getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Rendered render(final Path chart, final Map<String, Object> values) {
        TemplateCommand command = command(chart);
        for (Map.Entry<String, Object> e : values.entrySet()) {
            command = command.set(e.getKey(), e.getValue());
        }
        return new Rendered(parse(command.call()));
    }

    private static TemplateCommand command(final Path chart) {
        return new Helm(chart)
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
    }

    /** A temporary copy of the chart with {@link #AS_UPGRADE} written into its templates. */
    private static Path copyAsUpgrade() throws IOException {
        final Path copy = Files.createTempDirectory("incident-stream-chart").resolve(CHART.getFileName());
        int replaced = 0;
        try (Stream<Path> files = Files.walk(CHART)) {
            for (Path file : files.sorted().toList()) {
                final Path relative = CHART.relativize(file);
                final Path target = copy.resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                    continue;
                }
                String text = Files.readString(file, StandardCharsets.UTF_8);
                if (relative.startsWith("templates")) {
                    for (Map.Entry<Pattern, String> flag : AS_UPGRADE.entrySet()) {
                        final Matcher m = flag.getKey().matcher(text);
                        replaced += (int) m.results().count();
                        text = m.replaceAll(flag.getValue());
                    }
                }
                Files.writeString(target, text, StandardCharsets.UTF_8);
            }
        }
        if (replaced == 0) {
            delete(copy.getParent());
            throw new IllegalStateException("no template reads .Release.IsInstall or .Release.IsUpgrade");
        }
        return copy;
    }

    private static void delete(final Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static List<JsonNode> parse(final String manifests) {
        final List<JsonNode> objects = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(manifests)) {
            final var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                final JsonNode node = it.next();
                if (node != null && node.isObject() && node.has("kind")) {
                    objects.add(node);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    static String decode(final JsonNode base64) {
        return new String(Base64.getDecoder().decode(base64.asText()), StandardCharsets.UTF_8);
    }

    record Rendered(List<JsonNode> objects) {
        Optional<JsonNode> find(final String kind) {
            return objects.stream()
                    .filter(o -> kind.equals(o.path("kind").asText()))
                    .findFirst();
        }

        JsonNode get(final String kind) {
            return find(kind).orElseThrow(() -> new AssertionError("no " + kind + " rendered; kinds: " + kinds()));
        }

        List<String> kinds() {
            return objects.stream().map(o -> o.path("kind").asText()).toList();
        }

        /** The rendered Secret of this name, if any. */
        Optional<JsonNode> secret(final String name) {
            return objects.stream()
                    .filter(o -> "Secret".equals(o.path("kind").asText()))
                    .filter(o -> name.equals(o.at("/metadata/name").asText()))
                    .findFirst();
        }

        /** The names of the rendered Secrets, sorted. */
        List<String> secretNames() {
            return objects.stream()
                    .filter(o -> "Secret".equals(o.path("kind").asText()))
                    .map(o -> o.at("/metadata/name").asText())
                    .sorted()
                    .toList();
        }

        JsonNode statefulSet() {
            return get("StatefulSet");
        }

        JsonNode podSpec() {
            return statefulSet().at("/spec/template/spec");
        }

        JsonNode container() {
            return podSpec().at("/containers/0");
        }

        /** The container's env entry of this name. */
        JsonNode env(final String name) {
            return StreamSupport.stream(container().path("env").spliterator(), false)
                    .filter(e -> e.path("name").asText().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no env " + name));
        }

        /** The container's mount of this volume, if any. */
        Optional<JsonNode> mount(final String volume) {
            return StreamSupport.stream(container().path("volumeMounts").spliterator(), false)
                    .filter(m -> m.path("name").asText().equals(volume))
                    .findFirst();
        }

        /** The pod's volume of this name, if any. */
        Optional<JsonNode> volume(final String name) {
            return StreamSupport.stream(podSpec().path("volumes").spliterator(), false)
                    .filter(v -> v.path("name").asText().equals(name))
                    .findFirst();
        }

        /** The container's env (name → value or "valueFrom"), and the ConfigMap's data it loads via envFrom. */
        Map<String, String> environment() {
            final Map<String, String> env = new TreeMap<>();
            get("ConfigMap")
                    .path("data")
                    .properties()
                    .forEach(e -> env.put(e.getKey(), e.getValue().asText()));
            container()
                    .path("env")
                    .forEach(e -> env.put(
                            e.path("name").asText(),
                            e.has("value") ? e.path("value").asText() : "valueFrom:" + e.path("valueFrom")));
            return env;
        }

        /**
         * The env the app sees in this pod: ConfigMap data and env values, Kubernetes' $(VAR) expanded, and
         * secretKeyRefs read from the rendered Secrets or, for Secrets the chart does not render, from
         * {@code otherSecrets} (name → key → value). A reference to neither fails, as the pod would.
         */
        Map<String, String> podEnvironment(final String podName, final Map<String, Map<String, String>> otherSecrets) {
            final Map<String, String> env = new HashMap<>();
            get("ConfigMap")
                    .path("data")
                    .properties()
                    .forEach(e -> env.put(e.getKey(), e.getValue().asText()));
            for (JsonNode e : container().path("env")) {
                String value;
                if (e.has("value")) {
                    value = e.path("value").asText();
                } else if (e.at("/valueFrom/fieldRef/fieldPath").asText().equals("metadata.name")) {
                    value = podName;
                } else if (e.at("/valueFrom/fieldRef/fieldPath").asText().equals("metadata.namespace")) {
                    value = NAMESPACE;
                } else {
                    value = secretValue(e.at("/valueFrom/secretKeyRef"), otherSecrets);
                    if (value == null) {
                        continue; // an optional reference to a missing key: the variable is not set
                    }
                }
                for (Map.Entry<String, String> defined : env.entrySet()) {
                    value = value.replace("$(" + defined.getKey() + ")", defined.getValue());
                }
                env.put(e.path("name").asText(), value);
            }
            return env;
        }

        private String secretValue(final JsonNode ref, final Map<String, Map<String, String>> otherSecrets) {
            final String name = ref.path("name").asText();
            final String key = ref.path("key").asText();
            final Optional<JsonNode> rendered = secret(name);
            final String value = rendered.isPresent()
                    ? (rendered.get().at("/data").has(key)
                            ? decode(rendered.get().at("/data").path(key))
                            : null)
                    : otherSecrets.getOrDefault(name, Map.of()).get(key);
            if (value == null && !ref.path("optional").asBoolean()) {
                throw new AssertionError("the pod would not start: no key " + key + " in Secret " + name);
            }
            return value;
        }

        List<JsonNode> services() {
            return objects.stream()
                    .filter(o -> "Service".equals(o.path("kind").asText()))
                    .toList();
        }

        ObjectNode headless() {
            return (ObjectNode) services().stream()
                    .filter(s -> "None".equals(s.at("/spec/clusterIP").asText()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no headless Service"));
        }
    }
}
