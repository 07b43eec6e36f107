package io.incidentstream.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * All settings, parsed once from an environment map (tests pass their own map, never
 * {@code System.getenv}). Every bad value is reported at start-up, all at once, by name.
 *
 * @param bootstrapServers empty: start the embedded broker
 * @param kafkaClientSettings security and other settings for every Kafka client ({@link KafkaClientSettings})
 * @param pagerDutyTtl     how long a PagerDuty trigger stays valid without a repeat: PagerDuty events are
 *                         edge-triggered (open until resolved), unlike re-sent Prometheus alerts
 * @param metricsAuth      {@code METRICS_AUTH=true}: {@code /metrics} needs an {@code admin} token (needs auth on)
 * @param incidentRetention how long a closed (resolved or expired) incident is kept after its last change;
 *                         then it is purged from every store, with a tombstone on {@code incidents}
 * @param instanceId       {@code group.instance.id} (static membership); empty: dynamic membership
 * @param leaveGroupOnClose whether a clean close leaves the consumer group at once
 * @param maxReadStaleness  the largest changelog lag (records) a standby may have and still answer; -1: never
 * @param alertmanagerGroups one Alertmanager group (a webhook's {@code groupKey}) is one incident of its alerts
 * @param rekeyJson        write the re-key topic as JSON (upgrading from a version that cannot read its binary form)
 * @param webhookAllowPrivate deliver webhooks to loopback, private and link-local receivers too
 * @param webhookQueue     deliveries one subscription may have queued on an instance before they spill to the retry topic
 * @param rocksdbMemory    off-heap bytes all RocksDB stores of the process share: block cache, index and
 *                         filter blocks, and memtables (at most half)
 */
public record Config(
        Optional<String> bootstrapServers,
        int embeddedKafkaPort,
        Path dataDir,
        Path stateDir,
        String httpHost,
        int httpPort,
        String applicationServer,
        String applicationId,
        Optional<Path> authTokensFile,
        boolean allowAnonymous,
        Duration incidentTtl,
        String processingGuarantee,
        Duration flapWindow,
        int topicPartitions,
        short topicReplicationFactor,
        int numStandbyReplicas,
        long httpMaxBody,
        Optional<String> peerToken,
        Optional<Integer> rateLimitPerMin,
        Optional<Integer> authFailuresPerMin,
        String logFormat,
        Duration expiryInterval,
        int expiryMaxPerTick,
        Duration shutdownTimeout,
        Duration produceTimeout,
        PortRanges peerPorts,
        Duration peerTimeout,
        Duration commandTimeout,
        int maxInFlightWrites,
        Optional<String> cursorSecret,
        Optional<String> cursorSecretPrevious,
        Map<String, String> streamsOverrides,
        Map<String, String> kafkaClientSettings,
        Duration pagerDutyTtl,
        boolean metricsAuth,
        Duration incidentRetention,
        List<String> indexedLabels,
        int labelScanBudget,
        long rocksdbMemory,
        int alertmanagerApiMaxAlerts,
        boolean alertmanagerGroups,
        boolean rekeyJson,
        int streamMaxClients,
        int streamClientQueue,
        Duration streamHeartbeat,
        int streamSnapshotMax,
        Optional<String> instanceId,
        boolean leaveGroupOnClose,
        long maxReadStaleness,
        Duration silenceRetention,
        boolean webhookAllowPrivate,
        int webhookQueue,
        List<Duration> webhookRetryDelays,
        Duration webhookRetryFor) {

    /** Environment variables with this prefix pass through to Kafka Streams. */
    public static final String STREAMS_PREFIX = Settings.STREAMS_PREFIX;

    public boolean embeddedBroker() {
        return bootstrapServers.isEmpty();
    }

    public boolean authEnabled() {
        return authTokensFile.isPresent();
    }

    /** Parses the environment ({@link Settings} declares every name); throws {@link ConfigException} listing every invalid variable. */
    public static Config from(final Map<String, String> env) {
        final Parser p = new Parser(env);
        final Path dataDir = Path.of(p.get(Settings.DATA_DIR));
        final int httpPort = p.get(Settings.HTTP_PORT);
        final Optional<Path> tokens = p.optional(Settings.AUTH_TOKENS_FILE).map(Path::of);
        final String applicationId = p.get(Settings.APPLICATION_ID);
        final String applicationServer = p.optional(Settings.APPLICATION_SERVER).orElse("localhost:" + httpPort);
        p.get(Settings.LOG_FORMAT);
        p.get(Settings.LOG_LEVEL);
        // set but empty: dynamic membership on purpose, even in Kubernetes
        final Optional<String> instanceId = env.containsKey(Settings.INSTANCE_ID.name())
                ? p.optional(Settings.INSTANCE_ID)
                : kubernetesPodName(env);
        final Config config = new Config(
                p.optional(Settings.KAFKA_BOOTSTRAP_SERVERS),
                p.get(Settings.EMBEDDED_KAFKA_PORT),
                dataDir,
                Path.of(p.optional(Settings.STATE_DIR)
                        .orElse(dataDir.resolve("state").toString())),
                p.optional(Settings.HTTP_HOST).orElse(tokens.isPresent() ? "0.0.0.0" : "127.0.0.1"),
                httpPort,
                applicationServer,
                applicationId,
                tokens,
                p.get(Settings.ALLOW_ANONYMOUS),
                p.get(Settings.INCIDENT_TTL),
                p.get(Settings.PROCESSING_GUARANTEE),
                p.get(Settings.FLAP_WINDOW),
                p.get(Settings.TOPIC_PARTITIONS),
                p.get(Settings.TOPIC_REPLICATION_FACTOR).shortValue(),
                p.get(Settings.NUM_STANDBY_REPLICAS),
                p.get(Settings.HTTP_MAX_BODY),
                p.optional(Settings.PEER_TOKEN),
                Optional.of(p.get(Settings.RATE_LIMIT_PER_MIN)).filter(n -> n > 0),
                Optional.of(p.get(Settings.AUTH_FAILURES_PER_MIN)).filter(n -> n > 0),
                p.get(Settings.LOG_FORMAT),
                p.get(Settings.EXPIRY_INTERVAL),
                p.get(Settings.EXPIRY_MAX_PER_TICK),
                p.get(Settings.SHUTDOWN_TIMEOUT),
                p.get(Settings.PRODUCE_TIMEOUT),
                p.optional(Settings.PEER_PORTS).orElseGet(() -> PortRanges.single(portOf(applicationServer))),
                p.get(Settings.PEER_TIMEOUT),
                p.get(Settings.COMMAND_TIMEOUT),
                p.get(Settings.MAX_IN_FLIGHT_WRITES),
                p.optional(Settings.CURSOR_SECRET),
                p.optional(Settings.CURSOR_SECRET_PREVIOUS),
                streamsOverrides(env),
                KafkaClientSettings.from(env),
                p.get(Settings.PAGERDUTY_TTL),
                p.get(Settings.METRICS_AUTH),
                p.get(Settings.INCIDENT_RETENTION),
                p.get(Settings.INDEXED_LABELS),
                p.get(Settings.LABEL_SCAN_BUDGET),
                p.get(Settings.ROCKSDB_MEMORY),
                p.get(Settings.ALERTMANAGER_API_MAX_ALERTS),
                p.get(Settings.ALERTMANAGER_GROUPS),
                p.get(Settings.REKEY_FORMAT).equals("json"),
                p.get(Settings.STREAM_MAX_CLIENTS),
                p.get(Settings.STREAM_CLIENT_QUEUE),
                p.get(Settings.STREAM_HEARTBEAT),
                p.get(Settings.STREAM_SNAPSHOT_MAX),
                instanceId,
                p.optional(Settings.LEAVE_GROUP_ON_CLOSE).orElse(instanceId.isEmpty()),
                p.get(Settings.MAX_READ_STALENESS),
                p.get(Settings.SILENCE_RETENTION),
                p.get(Settings.WEBHOOK_ALLOW_PRIVATE),
                p.get(Settings.WEBHOOK_QUEUE),
                p.get(Settings.WEBHOOK_RETRY_DELAYS),
                p.get(Settings.WEBHOOK_RETRY_FOR));
        if (tokens.isPresent() && config.peerToken().isEmpty()) {
            p.errors.add("AUTH_TOKENS_FILE is set but PEER_TOKEN is not: with auth on, the internal peer endpoints "
                    + "(/internal/v1/*) need PEER_TOKEN, the same secret on every instance");
        }
        if (tokens.isEmpty() && !config.allowAnonymous() && !isLoopback(config.httpHost())) {
            p.errors.add("HTTP_HOST=" + config.httpHost() + " with no AUTH_TOKENS_FILE would let anyone who can reach"
                    + " port " + httpPort + " read and change every incident: set AUTH_TOKENS_FILE (and PEER_TOKEN),"
                    + " bind to loopback (HTTP_HOST=127.0.0.1), or accept it with ALLOW_ANONYMOUS=true");
        }
        if (config.embeddedBroker() && !config.kafkaClientSettings().isEmpty()) {
            p.errors.add("Kafka client settings " + config.kafkaClientSettings().keySet()
                    + " are for an external cluster, but KAFKA_BOOTSTRAP_SERVERS is not set (the embedded broker"
                    + " listens on loopback without security): set KAFKA_BOOTSTRAP_SERVERS or remove them");
        }
        if (config.metricsAuth() && tokens.isEmpty()) {
            p.errors.add("METRICS_AUTH=true needs AUTH_TOKENS_FILE (there are no tokens to check)");
        }
        p.failIfInvalid();
        return config;
    }

    /**
     * In Kubernetes the host name is the pod's name, which a StatefulSet keeps across restarts
     * ({@code incident-stream-0}, …): a stable {@code group.instance.id} without configuration.
     */
    private static Optional<String> kubernetesPodName(final Map<String, String> env) {
        final String host = env.get("HOSTNAME");
        return env.containsKey("KUBERNETES_SERVICE_HOST") && host != null && !host.isBlank()
                ? Optional.of(host.trim())
                : Optional.empty();
    }

    /** The port of {@code host:port}; 0 when there is none (the start then fails on APPLICATION_SERVER). */
    private static int portOf(final String hostPort) {
        try {
            return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Loopback by its literal form only: a name that resolves to loopback today may not tomorrow. */
    static boolean isLoopback(final String host) {
        final String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return h.equals("localhost") || h.equals("::1") || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    private static Map<String, String> streamsOverrides(final Map<String, String> env) {
        final Map<String, String> overrides = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith(STREAMS_PREFIX) && name.length() > STREAMS_PREFIX.length()) {
                overrides.put(
                        name.substring(STREAMS_PREFIX.length())
                                .toLowerCase(Locale.ROOT)
                                .replace('_', '.'),
                        value);
            }
        });
        return Map.copyOf(overrides);
    }

    /** Collects errors instead of failing on the first, so one start-up shows every mistake. */
    private static final class Parser {
        private final Map<String, String> env;
        private final List<String> errors = new ArrayList<>();

        Parser(final Map<String, String> env) {
            this.env = env;
        }

        /** The value, or the setting's default when unset or invalid (the error is kept). */
        <T> T get(final Setting<T> setting) {
            return optional(setting).orElse(setting.fallback());
        }

        /** The value, or empty when unset (blank counts as unset) or invalid (the error is kept). */
        <T> Optional<T> optional(final Setting<T> setting) {
            final String v = env.get(setting.name());
            if (v == null || v.isBlank()) {
                return Optional.empty();
            }
            try {
                return Optional.of(setting.parse().apply(v.trim()));
            } catch (IllegalArgumentException e) {
                errors.add(setting.name() + "=" + v.trim() + ": " + e.getMessage());
                return Optional.empty();
            }
        }

        void failIfInvalid() {
            if (!errors.isEmpty()) {
                throw new ConfigException("invalid configuration: " + String.join("; ", errors));
            }
        }
    }
}
