package io.incidentstream.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft broker (combined broker and controller) inside this JVM: the default
 * run and the integration tests use it. Storage is formatted once under {@code logDir} and kept,
 * so a restart finds its topics, offsets and transactions again. The client listener is the given
 * port on loopback so that a second instance or {@code kcat} can use it; the controller listener
 * takes a free port on each start (a static single-voter quorum does not record it).
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String HOST = "127.0.0.1";

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private EmbeddedKafka(final KafkaRaftServer server, final String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Formats (first time only) and starts the broker.
     *
     * @param port client port; 0 picks a free one (tests)
     */
    public static EmbeddedKafka start(final Path logDir, final int port, final int defaultPartitions) {
        return start(logDir, port, defaultPartitions, "PLAINTEXT", Map.of());
    }

    /**
     * Starts the broker with another client listener protocol (e.g. {@code SASL_PLAINTEXT}) and extra
     * broker settings (mechanisms, credentials, an authorizer): the secured-cluster tests use it.
     */
    static EmbeddedKafka start(
            final Path logDir,
            final int port,
            final int defaultPartitions,
            final String clientProtocol,
            final Map<String, String> brokerSettings) {
        reportFatalExits();
        final int clientPort = port == 0 ? freePort() : port;
        final int controllerPort = freePort();
        final Properties properties = properties(logDir, clientPort, controllerPort, defaultPartitions, clientProtocol);
        properties.putAll(brokerSettings);
        final KafkaConfig config = new KafkaConfig(properties, false);
        formatOnce(logDir);
        final KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        final String bootstrap = HOST + ":" + clientPort;
        LOG.info("Embedded Kafka broker listening on {} (data in {})", bootstrap, logDir.toAbsolutePath());
        return new EmbeddedKafka(server, bootstrap);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    private static Properties properties(
            final Path logDir,
            final int clientPort,
            final int controllerPort,
            final int partitions,
            final String protocol) {
        final Properties p = new Properties();
        p.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@" + HOST + ":" + controllerPort),
                Map.entry(
                        "listeners",
                        protocol + "://" + HOST + ":" + clientPort + ",CONTROLLER://" + HOST + ":" + controllerPort),
                Map.entry("advertised.listeners", protocol + "://" + HOST + ":" + clientPort),
                Map.entry("listener.security.protocol.map", protocol + ":" + protocol + ",CONTROLLER:PLAINTEXT"),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", protocol),
                Map.entry("log.dirs", logDir.toAbsolutePath().toString()),
                Map.entry("num.partitions", Integer.toString(partitions)),
                Map.entry("default.replication.factor", "1"),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "6"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "6"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("auto.create.topics.enable", "false")));
        return p;
    }

    private static void formatOnce(final Path logDir) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(logDir);
            new Formatter()
                    .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                    .setClusterId(Uuid.randomUuid().toString())
                    .setNodeId(1)
                    .setDirectories(List.of(logDir.toAbsolutePath().toString()))
                    .setMetadataLogDirectory(logDir.toAbsolutePath().toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
            LOG.info("Formatted embedded Kafka storage in {}", logDir.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + logDir, e);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot format embedded Kafka storage in " + logDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The broker exits or halts the JVM on fatal faults (disk errors, metadata corruption). Make
     * that loud: log why before the process goes, instead of vanishing without a word.
     */
    private static void reportFatalExits() {
        Exit.setExitProcedure((code, message) -> {
            LOG.error("Embedded Kafka broker requested JVM exit ({}): {}", code, message);
            Runtime.getRuntime().exit(code);
        });
        Exit.setHaltProcedure((code, message) -> {
            LOG.error("Embedded Kafka broker requested JVM halt ({}): {}", code, message);
            Runtime.getRuntime().halt(code);
        });
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }
}
