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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * helm/incident-stream driven through real Helm (helm-java embeds Helm's Go code as a native
 * library): lint, and render with values into parsed Kubernetes objects.
 */
final class HelmChart {
    static final Path CHART = Path.of("helm", "incident-stream");
    static final String RELEASE = "inc";
    static final String NAMESPACE = "alerts";
    /** A supported Kubernetes for the render (Helm assumes v1.20 otherwise, below Chart.yaml's kubeVersion). */
    static final String KUBE_VERSION = "1.31.0";

    private static final YAMLMapper YAML = new YAMLMapper();

    private HelmChart() {}

    static LintResult lint() {
        return new Helm(CHART).lint().strict().call();
    }

    /** The objects {@code helm template} renders with these {@code --set} values (may be empty). */
    static Rendered template(final Map<String, Object> values) {
        TemplateCommand command = new Helm(CHART)
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        for (Map.Entry<String, Object> e : values.entrySet()) {
            command = command.set(e.getKey(), e.getValue());
        }
        return new Rendered(parse(command.call()));
    }

    /** As {@link #template(Map)} with a values file. */
    static Rendered template(final Path valuesFile) {
        return new Rendered(parse(new Helm(CHART)
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION)
                .withValuesFile(valuesFile)
                .call()));
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

        JsonNode statefulSet() {
            return get("StatefulSet");
        }

        JsonNode container() {
            return statefulSet().at("/spec/template/spec/containers/0");
        }

        /** The container's env (name → value or "valueFrom"), and the ConfigMap's data it loads via envFrom. */
        Map<String, String> environment() {
            final Map<String, String> env = new java.util.TreeMap<>();
            get("ConfigMap")
                    .path("data")
                    .fields()
                    .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            container()
                    .path("env")
                    .forEach(e -> env.put(
                            e.path("name").asText(),
                            e.has("value") ? e.path("value").asText() : "valueFrom:" + e.path("valueFrom")));
            return env;
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
