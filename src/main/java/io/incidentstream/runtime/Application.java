package io.incidentstream.runtime;

import io.incidentstream.config.Config;
import io.incidentstream.http.HttpApi;
import io.incidentstream.ingest.AlertDecoder;
import io.incidentstream.ingest.KafkaAlertSink;
import io.incidentstream.ingest.KafkaCommandSink;
import io.incidentstream.metrics.IncidentMetrics;
import io.incidentstream.http.HttpPeerClient;
import io.incidentstream.query.ClusterIncidentQueries;
import io.incidentstream.query.IncidentWrites;
import io.incidentstream.query.LocalIncidentQueries;
import io.incidentstream.query.PageAssembler;
import io.incidentstream.store.CursorCodec;
import io.incidentstream.store.StreamsPeerDirectory;
import io.incidentstream.store.StreamsStoreAccess;
import io.incidentstream.topology.IncidentTopology;
import io.incidentstream.topology.Topics;
import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires and runs one instance: (embedded broker) → topics → Kafka Streams → ingest producer → HTTP.
 * {@link #close()} stops them in reverse: HTTP first so no request starts against a closing
 * stream, then streams (bounded by {@code SHUTDOWN_TIMEOUT}), then the producer, then the broker.
 */
public final class Application implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Application.class);
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(60);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final Config config;
    private String bootstrapServers;
    private Javalin http;
    private StreamsRunner streams;
    private PrometheusMeterRegistry registry;

    private Application(final Config config) {
        this.config = config;
    }

    /** Starts everything; on failure, whatever already started is stopped again. */
    public static Application start(final Config config) throws InterruptedException {
        final Application app = new Application(config);
        try {
            app.startAll();
            return app;
        } catch (RuntimeException | InterruptedException e) {
            app.close();
            throw e;
        }
    }

    private void startAll() throws InterruptedException {
        final long started = System.nanoTime();
        if (!config.authEnabled()) {
            LOG.warn("No AUTH_TOKENS_FILE: authentication is off and HTTP binds to {} (loopback unless HTTP_HOST says otherwise)",
                config.httpHost());
        }
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        bindJvmMetrics();
        if (config.embeddedBroker()) {
            final EmbeddedKafka broker = EmbeddedKafka.start(config.dataDir().resolve("kafka"), config.embeddedKafkaPort(),
                config.topicPartitions());
            resources.push(broker);
            bootstrapServers = broker.bootstrapServers();
        } else {
            bootstrapServers = config.bootstrapServers().orElseThrow();
        }
        final int partitions;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            partitions = TopicSetup.ensure(admin, config, TOPIC_TIMEOUT);
        }
        streams = new StreamsRunner(IncidentTopology.build(config, new IncidentMetrics(registry), partitions), config, bootstrapServers);
        resources.push(streams);
        final KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams.streams());
        streamsMetrics.bindTo(registry);
        resources.push(streamsMetrics);
        streams.start();
        final KafkaAlertSink sink = new KafkaAlertSink(bootstrapServers, Topics.ALERTS, config.produceTimeout());
        resources.push(sink);
        final CursorCodec cursors = new CursorCodec(config.cursorSecret().getBytes(StandardCharsets.UTF_8));
        final LocalIncidentQueries local = new LocalIncidentQueries(
            new StreamsStoreAccess(streams.streams(), Topics.ALERTS, partitions), cursors);
        final StreamsPeerDirectory directory = new StreamsPeerDirectory(streams.streams(), config.applicationServer(),
            Topics.ALERTS, partitions);
        final HttpPeerClient peers = new HttpPeerClient(config.peerTimeout(), config.peerToken());
        final ClusterIncidentQueries queries = new ClusterIncidentQueries(local, directory, peers, new PageAssembler(cursors));
        final KafkaCommandSink commands = new KafkaCommandSink(bootstrapServers, Topics.INCIDENT_COMMANDS, config.produceTimeout());
        resources.push(commands);
        final IncidentWrites writes = new IncidentWrites(commands, directory, local, peers, queries, config.commandTimeout());
        http = HttpApi.create(new HttpApi.Dependencies(queries, new AlertDecoder(config.incidentTtl()), sink, streams, registry,
            config.httpMaxBody(), local, config.peerToken(), writes, Clock.systemUTC(), config.pagerDutyTtl()));
        http.start(config.httpHost(), config.httpPort());
        resources.push(http::stop);
        LOG.info("incident-stream started in {} ms: API http://{}:{}/incidents, metrics http://{}:{}/metrics, Kafka {} ({}), "
                + "readiness http://{}:{}/health/ready",
            Duration.ofNanos(System.nanoTime() - started).toMillis(), config.httpHost(), http.port(), config.httpHost(),
            http.port(), bootstrapServers, config.embeddedBroker() ? "embedded" : "external", config.httpHost(), http.port());
    }

    private void bindJvmMetrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        final JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        resources.push(gc);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** The HTTP port actually bound (useful with {@code HTTP_PORT=0}). */
    public int httpPort() {
        return http.port();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Health health() {
        return streams;
    }

    @Override
    public void close() {
        while (!resources.isEmpty()) {
            final AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Error while stopping {}", resource, e);
            }
        }
        if (registry != null) {
            registry.close();
        }
    }
}
