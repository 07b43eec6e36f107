package io.incidentstream.topology;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.kafka.streams.TopologyDescription;

/**
 * Renders {@link TopologyDescription} for {@code topology-docs/}: the plain {@code describe()} text,
 * and a Mermaid flowchart a person can read (topics as stadiums, stores as cylinders).
 * A test regenerates both and fails when the committed files drift from the code.
 */
public final class TopologyDocs {
    private TopologyDocs() {}

    public static String text(final TopologyDescription description) {
        return description.toString().strip() + "\n";
    }

    public static String mermaid(final TopologyDescription description) {
        final StringBuilder out = new StringBuilder();
        out.append("# incident-stream topology\n\n");
        out.append("Generated from `Topology#describe()` by `TopologyDocsTest` ")
                .append(
                        "(run `mvn test -Dtest=TopologyDocsTest -Dtopology.docs.update=true` after changing the topology).\n\n");
        out.append("```mermaid\nflowchart LR\n");
        final Set<String> edges = new LinkedHashSet<>();
        final Set<String> declared = new LinkedHashSet<>();
        description.subtopologies().stream()
                .sorted(Comparator.comparingInt(TopologyDescription.Subtopology::id))
                .forEach(sub -> {
                    out.append("  subgraph sub")
                            .append(sub.id())
                            .append("[\"sub-topology ")
                            .append(sub.id())
                            .append("\"]\n");
                    sub.nodes().stream()
                            .sorted(Comparator.comparing(TopologyDescription.Node::name))
                            .forEach(node -> {
                                out.append("    ")
                                        .append(id(node.name()))
                                        .append("[\"")
                                        .append(node.name())
                                        .append("\"]\n");
                                if (node instanceof TopologyDescription.Source source) {
                                    source.topicSet().stream()
                                            .sorted()
                                            .forEach(t -> edges.add(topic(t, declared) + " --> " + id(node.name())));
                                }
                                if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
                                    edges.add(id(node.name()) + " --> " + topic(sink.topic(), declared));
                                }
                                if (node instanceof TopologyDescription.Processor processor) {
                                    processor.stores().stream()
                                            .sorted()
                                            .forEach(s -> edges.add(id(node.name()) + " --- " + store(s, declared)));
                                }
                                node.successors().stream()
                                        .sorted(Comparator.comparing(TopologyDescription.Node::name))
                                        .forEach(next -> edges.add(id(node.name()) + " --> " + id(next.name())));
                            });
                    out.append("  end\n");
                });
        declared.forEach(d -> out.append("  ").append(d).append('\n'));
        edges.forEach(e -> out.append("  ").append(e).append('\n'));
        out.append("```\n\n## describe()\n\n```\n").append(text(description)).append("```\n");
        return out.toString();
    }

    private static String topic(final String name, final Set<String> declared) {
        declared.add("t_" + id(name) + "([\"topic: " + name + "\"])");
        return "t_" + id(name);
    }

    private static String store(final String name, final Set<String> declared) {
        declared.add("s_" + id(name) + "[(\"store: " + name + "\")]");
        return "s_" + id(name);
    }

    private static String id(final String name) {
        return name.replaceAll("[^A-Za-z0-9_]", "_");
    }
}
