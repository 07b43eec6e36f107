package io.incidentstream.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.incidentstream.config.Config;
import io.incidentstream.metrics.IncidentMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/**
 * The committed {@code topology-docs/} must match the code. After an intended topology change,
 * regenerate with {@code mvn test -Dtest=TopologyDocsTest -Dtopology.docs.update=true}.
 */
class TopologyDocsTest {
    private static final Path DOCS = Path.of("topology-docs");

    private final TopologyDescription description = IncidentTopology.build(
                    TopologySettings.of(Config.from(Map.of())), new IncidentMetrics(new SimpleMeterRegistry()), 6)
            .describe();

    @Test
    void committedTextMatchesDescribe() throws IOException {
        check("topology.txt", TopologyDocs.text(description));
    }

    @Test
    void committedDiagramMatchesDescribe() throws IOException {
        check("topology.md", TopologyDocs.mermaid(description));
    }

    private static void check(final String file, final String generated) throws IOException {
        final Path path = DOCS.resolve(file);
        if (Boolean.getBoolean("topology.docs.update")) {
            Files.createDirectories(DOCS);
            Files.writeString(path, generated);
        }
        assertEquals(
                generated,
                Files.exists(path) ? Files.readString(path) : "",
                path
                        + " is out of date: run mvn test -Dtest=TopologyDocsTest -Dtopology.docs.update=true and commit it");
    }
}
