package io.incidentstream.runtime;

import io.incidentstream.auth.Authenticator;
import io.incidentstream.auth.RateLimiter;
import io.incidentstream.auth.TokenFile;
import io.incidentstream.cluster.HttpPeerClient;
import io.incidentstream.cluster.StreamsPeerDirectory;
import io.incidentstream.config.Config;
import io.incidentstream.http.Health;
import io.incidentstream.http.HttpApi;
import io.incidentstream.ingest.AlertDecoder;
import io.incidentstream.kafka.KafkaAlertHistory;
import io.incidentstream.kafka.KafkaAlertSink;
import io.incidentstream.kafka.KafkaChangeFeed;
import io.incidentstream.kafka.KafkaCommandSink;
import io.incidentstream.kafka.KafkaConnection;
import io.incidentstream.kafka.KafkaRuleSink;
import io.incidentstream.metrics.IncidentMetrics;
import io.incidentstream.metrics.KafkaMeterFilter;
import io.incidentstream.metrics.StreamMetrics;
import io.incidentstream.metrics.TimedIncidentQueries;
import io.incidentstream.metrics.TimedPeerClient;
import io.incidentstream.notify.Notifications;
import io.incidentstream.notify.Suppression;
import io.incidentstream.query.AlertmanagerReads;
import io.incidentstream.query.AlertmanagerStatusSource;
import io.incidentstream.query.ClusterIncidentQueries;
import io.incidentstream.query.ClusterSummaries;
import io.incidentstream.query.FanOut;
import io.incidentstream.query.GroupingPreviews;
import io.incidentstream.query.GroupingRules;
import io.incidentstream.query.IncidentQueries;
import io.incidentstream.query.IncidentWrites;
import io.incidentstream.query.LocalIncidentQueries;
import io.incidentstream.query.LocalSummaries;
import io.incidentstream.query.PageAssembler;
import io.incidentstream.query.StreamSession;
import io.incidentstream.silence.KafkaSilenceLog;
import io.incidentstream.silence.SilenceLabels;
import io.incidentstream.silence.SilenceService;
import io.incidentstream.silence.SilenceView;
import io.incidentstream.silence.Silences;
import io.incidentstream.store.CursorCodec;
import io.incidentstream.store.IncidentStores;
import io.incidentstream.store.IndexedLabels;
import io.incidentstream.store.StreamsStoreAccess;
import io.incidentstream.topology.IncidentTopology;
import io.incidentstream.topology.Topics;
import io.incidentstream.topology.TopologySettings;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires and runs one instance: (embedded broker) → topics → Kafka Streams → ingest producer → HTTP.
 * {@link #close()} stops them in reverse: HTTP first so no request starts against a closing
 * stream, then streams (bounded by {@code SHUTDOWN_TIMEOUT}), then the producer, then the broker.
 */
public final class Application implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Application.class);
    /** How long a grouping preview may read topic {@code alerts} before it answers with what it has. */
    private static final Duration PREVIEW_READ_BUDGET = Duration.ofSeconds(20);

    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration KAFKA_METRICS_REFRESH = Duration.ofSeconds(10);
    private static final Duration BROKER_PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration BROKER_PROBE_MAX_AGE = Duration.ofSeconds(5);
    /** Live-stream clients reading back what they missed at once, each with a consumer of its own. */
    private static final int STREAM_MAX_REPLAYS = 4;

    private static final Duration STREAM_REPLAY_TIMEOUT = Duration.ofSeconds(30);
    /** How often each instance deletes silences expired for longer than {@code SILENCE_RETENTION}. */
    private static final Duration SILENCE_SWEEP = Duration.ofMinutes(10);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final Config config;
    private String bootstrapServers;
    private Javalin http;
    private StreamsRunner streams;
    private ServiceHealth health;
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
        final Instant startedAt = Instant.now();
        if (!config.authEnabled()) {
            LOG.warn(
                    "No AUTH_TOKENS_FILE: authentication is off and HTTP binds to {} (loopback unless HTTP_HOST says otherwise)",
                    config.httpHost());
        }
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new KafkaMeterFilter());
        bindJvmMetrics();
        if (config.embeddedBroker()) {
            final EmbeddedKafka broker = EmbeddedKafka.start(
                    config.dataDir().resolve("kafka"), config.embeddedKafkaPort(), config.topicPartitions());
            resources.push(broker);
            bootstrapServers = broker.bootstrapServers();
        } else {
            bootstrapServers = config.bootstrapServers().orElseThrow();
        }
        final KafkaConnection kafka = new KafkaConnection(bootstrapServers, config.kafkaClientSettings());
        if (!kafka.clientSettings().isEmpty()) {
            LOG.info(
                    "Kafka client settings for every client: {}",
                    kafka.clientSettings().keySet());
        }
        final int partitions;
        try (Admin admin = Admin.create(kafka.properties())) {
            partitions = TopicSetup.ensure(admin, config, TOPIC_TIMEOUT);
        }
        final SilenceView silences = new SilenceView();
        final KafkaSilenceLog silenceLog =
                KafkaSilenceLog.start(kafka.properties(), Topics.SILENCES, silences, config.produceTimeout());
        resources.push(silenceLog);
        scheduleSilenceSweep(silenceLog);
        final IncidentMetrics incidentMetrics = new IncidentMetrics(registry);
        streams = new StreamsRunner(
                IncidentTopology.build(TopologySettings.of(config), incidentMetrics, partitions),
                config,
                kafka,
                incidentMetrics);
        resources.push(streams);
        bindStreamsMetrics();
        streams.start();
        final KafkaAlertSink sink = new KafkaAlertSink(kafka, Topics.ALERTS, config.produceTimeout());
        resources.push(sink);
        final CursorCodec cursors = cursors(CursorSecrets.of(config));
        final StreamsStoreAccess stores =
                new StreamsStoreAccess(streams.streams(), Topics.ALERTS, partitions, config.maxReadStaleness());
        final LocalIncidentQueries local = new LocalIncidentQueries(
                        stores, cursors, IndexedLabels.of(config.indexedLabels()), config.labelScanBudget())
                .silences(silences, Clock.systemUTC());
        final StreamsPeerDirectory directory = new StreamsPeerDirectory(
                streams.streams(),
                config.applicationServer(),
                IncidentStores.INCIDENTS,
                Topics.ALERTS,
                partitions,
                config.peerPorts());
        final HttpPeerClient peers = new HttpPeerClient(config.peerTimeout(), config.peerToken());
        final IncidentQueries queries = new TimedIncidentQueries(
                new ClusterIncidentQueries(
                        local, directory, new TimedPeerClient(peers, registry), new PageAssembler(cursors)),
                registry);
        final KafkaCommandSink commands =
                new KafkaCommandSink(kafka, Topics.INCIDENT_COMMANDS, config.produceTimeout());
        resources.push(commands);
        final IncidentWrites writes =
                new IncidentWrites(commands, directory, local, peers, queries, config.commandTimeout());
        final KafkaRuleSink ruleSink = new KafkaRuleSink(kafka, Topics.GROUPING_RULES, config.produceTimeout());
        resources.push(ruleSink);
        final GroupingRules groupingRules = new GroupingRules(stores::groupingRules, ruleSink, config.commandTimeout());
        final Admin probeAdmin = Admin.create(kafka.properties());
        resources.push(() -> probeAdmin.close(Duration.ofSeconds(5)));
        final BrokerProbe broker = BrokerProbe.describeCluster(probeAdmin, BROKER_PROBE_TIMEOUT, BROKER_PROBE_MAX_AGE);
        health = new ServiceHealth(streams::state, stores, broker);
        health.bindTo(registry);
        final FanOut fanOut = new FanOut(config.streamMaxClients(), config.streamClientQueue());
        final KafkaChangeFeed feed =
                KafkaChangeFeed.start(kafka, Topics.INCIDENTS, partitions, fanOut, STREAM_MAX_REPLAYS);
        resources.push(feed);
        StreamMetrics.bind(registry, fanOut);
        final Notifications notifications = Notifications.start(
                kafka.properties(),
                new Notifications.Settings(
                        config.applicationId(),
                        Topics.INCIDENT_EVENTS,
                        Topics.WEBHOOK_SUBSCRIPTIONS,
                        Topics.WEBHOOK_RETRIES,
                        config.webhookAllowPrivate(),
                        config.webhookQueue(),
                        config.webhookRetryDelays(),
                        config.webhookRetryFor(),
                        config.produceTimeout(),
                        TOPIC_TIMEOUT),
                suppressedBy(silences),
                new UnsilencedIncidents(silences, queries, Clock.systemUTC()),
                registry);
        resources.push(notifications);
        final LocalSummaries summaries = new LocalSummaries(stores);
        final HttpApi.Builder api = HttpApi.builder(queries, new AlertDecoder(config.incidentTtl()), sink, health)
                .maxBodyBytes(config.httpMaxBody())
                .pagerDutyTtl(config.pagerDutyTtl())
                .metrics(registry)
                .peerEndpoints(local, config.peerToken())
                .writes(writes)
                .summary(new ClusterSummaries(summaries, directory, peers, Clock.systemUTC()), summaries)
                .groupingRules(groupingRules)
                .groupingPreviews(new GroupingPreviews(
                        new KafkaAlertHistory(
                                kafka, Topics.ALERTS, new AlertDecoder(config.incidentTtl()), PREVIEW_READ_BUDGET),
                        config.flapWindow(),
                        Clock.systemUTC()))
                .maxInFlightWrites(config.maxInFlightWrites())
                .webhooks(notifications.webhooks())
                .liveStream(
                        fanOut,
                        feed,
                        new StreamSession.Settings(
                                config.streamHeartbeat(), config.streamSnapshotMax(), STREAM_REPLAY_TIMEOUT))
                .alertmanagerReads(new AlertmanagerReads(
                        queries,
                        AlertmanagerStatusSource.cluster(
                                directory,
                                config.applicationServer(),
                                startedAt,
                                AlertmanagerStatusSource.versionInfo()),
                        Clock.systemUTC(),
                        config.alertmanagerApiMaxAlerts(),
                        silences))
                .silences(
                        new SilenceService(silenceLog, silences, Clock.systemUTC(), config.silenceRetention()),
                        silences);
        if (config.authEnabled()) {
            api.auth(authenticator());
        }
        http = api.build();
        http.start(config.httpHost(), config.httpPort());
        resources.push(http::stop);
        LOG.info(
                "incident-stream started in {} ms: API http://{}:{}/incidents, metrics http://{}:{}/metrics, Kafka {} ({}), "
                        + "readiness http://{}:{}/health/ready",
                Duration.ofNanos(System.nanoTime() - started).toMillis(),
                config.httpHost(),
                http.port(),
                config.httpHost(),
                http.port(),
                bootstrapServers,
                config.embeddedBroker() ? "embedded" : "external",
                config.httpHost(),
                http.port());
    }

    private void scheduleSilenceSweep(final KafkaSilenceLog log) {
        final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "silence-retention");
            t.setDaemon(true);
            return t;
        });
        resources.push(sweeper::shutdownNow);
        final ScheduledFuture<?> unused = sweeper.scheduleWithFixedDelay(
                () -> log.sweepQuietly(Clock.systemUTC(), config.silenceRetention()),
                SILENCE_SWEEP.toMillis(),
                SILENCE_SWEEP.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private static CursorCodec cursors(final List<byte[]> secrets) {
        return new CursorCodec(secrets.get(0), secrets.subList(1, secrets.size()));
    }

    /** The watched token file and, with {@code RATE_LIMIT_PER_MIN}, a limit per token. */
    private Authenticator authenticator() {
        final TokenFile tokens = TokenFile.watch(config.authTokensFile().orElseThrow(), TokenFile.DEFAULT_INTERVAL);
        resources.push(tokens);
        return new Authenticator(
                tokens,
                config.rateLimitPerMin()
                        .map(r -> new RateLimiter(r, System::nanoTime))
                        .orElse(null),
                config.authFailuresPerMin()
                        .map(r -> new RateLimiter(r, System::nanoTime))
                        .orElse(null),
                config.metricsAuth());
    }

    /**
     * Kafka's own client metrics (consumer {@code records-lag} per partition, commit latency, ...).
     * The binder discovers new Kafka metrics on a timer; per-partition ones only exist once
     * partitions are assigned, so it re-checks every {@link #KAFKA_METRICS_REFRESH} instead of the
     * default minute.
     */
    private void bindStreamsMetrics() {
        final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "kafka-metrics-refresh");
            t.setDaemon(true);
            return t;
        });
        resources.push(refresher::shutdownNow);
        final KafkaStreamsMetrics streamsMetrics =
                new KafkaStreamsMetrics(streams.streams(), List.of(), refresher, KAFKA_METRICS_REFRESH);
        streamsMetrics.bindTo(registry);
        resources.push(streamsMetrics);
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
        return health;
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

    /** Webhook notifications are held back while a silence (or its maintenance window) mutes the incident. */
    private static Suppression suppressedBy(final Silences silences) {
        return (tenant, incident, at) ->
                !silences.silencedBy(tenant, SilenceLabels.of(incident), at).isEmpty();
    }
}
