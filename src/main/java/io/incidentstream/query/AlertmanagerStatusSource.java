package io.incidentstream.query;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Where {@code GET /api/v2/status} comes from: this instance, its peers and its version. amtool reads it
 * for {@code cluster show} (and compares versions on every command), Grafana to check its data source.
 */
@FunctionalInterface
public interface AlertmanagerStatusSource {

    /**
     * What {@code config.original} holds: a valid Alertmanager configuration (so amtool's
     * {@code config routes} can draw it) summing up how incident-stream routes and groups. With no
     * grouping rules every alert is its own group, which is Alertmanager's {@code group_by: ['...']}.
     */
    String CONFIG_SUMMARY = """
            # incident-stream: a summary of its routing, not a configuration it reads.
            # Every alert goes to incident-stream, where one alert key is one incident:
            # each alert is its own group.
            route:
              receiver: incident-stream
              group_by: ['...']
            receivers:
              - name: incident-stream
            """;

    AlertmanagerShapes.Status status();

    /**
     * An instance of a cluster: its peers are the members of the Kafka Streams group that host the
     * incident stores; {@code ready} once this instance is one of them, {@code settling} before.
     */
    static AlertmanagerStatusSource cluster(
            final PeerDirectory directory,
            final String self,
            final Instant startedAt,
            final AlertmanagerShapes.VersionInfo version) {
        return () -> {
            final List<PeerDirectory.Peer> members = directory.peers();
            final List<AlertmanagerShapes.Peer> peers = members.stream()
                    .map(p -> new AlertmanagerShapes.Peer(p.hostPort(), p.hostPort()))
                    .sorted(Comparator.comparing(AlertmanagerShapes.Peer::name))
                    .toList();
            final boolean ready = members.stream().anyMatch(PeerDirectory.Peer::self);
            return new AlertmanagerShapes.Status(
                    new AlertmanagerShapes.ClusterStatus(self, ready ? "ready" : "settling", peers),
                    version,
                    new AlertmanagerShapes.Config(CONFIG_SUMMARY),
                    startedAt);
        };
    }

    /** A server with no peer directory (tests): clustering {@code disabled}, as a lone Alertmanager says. */
    static AlertmanagerStatusSource standalone(final Instant startedAt, final AlertmanagerShapes.VersionInfo version) {
        return () -> new AlertmanagerShapes.Status(
                new AlertmanagerShapes.ClusterStatus(null, "disabled", List.of()),
                version,
                new AlertmanagerShapes.Config(CONFIG_SUMMARY),
                startedAt);
    }

    /** This build's version ({@code Implementation-Version} of the jar, {@code dev} from classes) on this Java runtime. */
    static AlertmanagerShapes.VersionInfo versionInfo() {
        final String version = AlertmanagerStatusSource.class.getPackage().getImplementationVersion();
        return new AlertmanagerShapes.VersionInfo(
                version == null ? "dev" : version,
                "unknown",
                "unknown",
                "incident-stream",
                "unknown",
                "java" + Runtime.version().feature());
    }
}
