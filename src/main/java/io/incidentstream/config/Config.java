package io.incidentstream.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * All settings, parsed once from an environment map (tests pass their own map, never
 * {@code System.getenv}). Every bad value is reported at start-up, all at once, by name.
 *
 * @param bootstrapServers empty: start the embedded broker
 * @param pagerDutyTtl     how long a PagerDuty trigger stays valid without a repeat: PagerDuty events are
 *                         edge-triggered (open until resolved), unlike re-sent Prometheus alerts
 * @param metricsAuth      {@code METRICS_AUTH=true}: {@code /metrics} needs an {@code admin} token (needs auth on)
 * @param incidentRetention how long a closed (resolved or expired) incident is kept after its last change;
 *                         then it is purged from every store, with a tombstone on {@code incidents}
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
        Duration incidentTtl,
        String processingGuarantee,
        Duration flapWindow,
        int topicPartitions,
        short topicReplicationFactor,
        int numStandbyReplicas,
        long httpMaxBody,
        Optional<String> peerToken,
        Optional<Integer> rateLimitPerMin,
        String logFormat,
        Duration expiryInterval,
        int expiryMaxPerTick,
        Duration shutdownTimeout,
        Duration produceTimeout,
        Duration peerTimeout,
        Duration commandTimeout,
        String cursorSecret,
        Map<String, String> streamsOverrides,
        Duration pagerDutyTtl,
        boolean metricsAuth,
        Duration incidentRetention,
        long rocksdbMemory) {

    /** Environment variables with this prefix pass through to Kafka Streams: {@code KAFKA_STREAMS_SESSION_TIMEOUT_MS=10000} → {@code session.timeout.ms}. */
    public static final String STREAMS_PREFIX = "KAFKA_STREAMS_";

    private static final Pattern SIZE =
            Pattern.compile("(\\d+)\\s*(|B|KB|KiB|MB|MiB|GB|GiB)", Pattern.CASE_INSENSITIVE);

    public boolean embeddedBroker() {
        return bootstrapServers.isEmpty();
    }

    public boolean authEnabled() {
        return authTokensFile.isPresent();
    }

    /** Parses the environment; throws {@link ConfigException} listing every invalid variable. */
    public static Config from(final Map<String, String> env) {
        final Parser p = new Parser(env);
        final Path dataDir = Path.of(p.text("DATA_DIR", "./data"));
        final int httpPort = p.integer("HTTP_PORT", 8080, 0, 65535);
        final Optional<Path> tokens = p.optional("AUTH_TOKENS_FILE").map(Path::of);
        final String applicationId = p.text("APPLICATION_ID", "incident-stream");
        final Config config = new Config(
                p.optional("KAFKA_BOOTSTRAP_SERVERS"),
                p.integer("EMBEDDED_KAFKA_PORT", 9092, 0, 65535),
                dataDir,
                Path.of(p.text("STATE_DIR", dataDir.resolve("state").toString())),
                p.text("HTTP_HOST", tokens.isPresent() ? "0.0.0.0" : "127.0.0.1"),
                httpPort,
                p.text("APPLICATION_SERVER", "localhost:" + httpPort),
                applicationId,
                tokens,
                p.duration("INCIDENT_TTL", "PT5M"),
                p.oneOf("PROCESSING_GUARANTEE", "exactly_once_v2", List.of("exactly_once_v2", "at_least_once")),
                p.duration("FLAP_WINDOW", "PT10M"),
                p.integer("TOPIC_PARTITIONS", 6, 1, 10_000),
                replicationFactor(p),
                p.integer("NUM_STANDBY_REPLICAS", 1, 0, 10),
                p.size("HTTP_MAX_BODY", "1MiB"),
                p.optional("PEER_TOKEN"),
                p.optional("RATE_LIMIT_PER_MIN").map(v -> p.integer("RATE_LIMIT_PER_MIN", 0, 1, Integer.MAX_VALUE)),
                p.oneOf("LOG_FORMAT", "text", List.of("text", "json")),
                p.duration("EXPIRY_INTERVAL", "PT1S"),
                p.integer("EXPIRY_MAX_PER_TICK", 1000, 1, 1_000_000),
                p.duration("SHUTDOWN_TIMEOUT", "PT30S"),
                p.duration("PRODUCE_TIMEOUT", "PT10S"),
                p.duration("PEER_TIMEOUT", "PT2S"),
                p.duration("COMMAND_TIMEOUT", "PT5S"),
                p.text("CURSOR_SECRET", "incident-stream-cursor:" + applicationId),
                streamsOverrides(env),
                p.duration("PAGERDUTY_TTL", "PT24H"),
                p.bool("METRICS_AUTH", false),
                p.duration("INCIDENT_RETENTION", "P30D"),
                p.size("ROCKSDB_MEMORY", "256MiB"));
        if (tokens.isPresent() && config.peerToken().isEmpty()) {
            p.errors.add("AUTH_TOKENS_FILE is set but PEER_TOKEN is not: with auth on, the internal peer endpoints "
                    + "(/internal/v1/*) need PEER_TOKEN, the same secret on every instance");
        }
        if (config.metricsAuth() && tokens.isEmpty()) {
            p.errors.add("METRICS_AUTH=true needs AUTH_TOKENS_FILE (there are no tokens to check)");
        }
        p.failIfInvalid();
        return config;
    }

    private static Map<String, String> streamsOverrides(final Map<String, String> env) {
        final Map<String, String> overrides = new java.util.TreeMap<>();
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

    /** -1 means the broker's default; 0 is not a replication factor. */
    private static short replicationFactor(final Parser p) {
        final int value = p.integer("TOPIC_REPLICATION_FACTOR", -1, -1, 32);
        if (value == 0) {
            p.errors.add("TOPIC_REPLICATION_FACTOR=0: must be -1 (broker default) or 1..32");
            return -1;
        }
        return (short) value;
    }

    /** Collects errors instead of failing on the first, so one start-up shows every mistake. */
    private static final class Parser {
        private final Map<String, String> env;
        private final List<String> errors = new ArrayList<>();

        Parser(final Map<String, String> env) {
            this.env = env;
        }

        Optional<String> optional(final String name) {
            final String v = env.get(name);
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
        }

        String text(final String name, final String fallback) {
            return optional(name).orElse(fallback);
        }

        int integer(final String name, final int fallback, final int min, final int max) {
            final Optional<String> v = optional(name);
            if (v.isEmpty()) {
                return fallback;
            }
            try {
                final int value = Integer.parseInt(v.get());
                if (value < min || value > max) {
                    errors.add(name + "=" + v.get() + ": must be between " + min + " and " + max);
                    return fallback;
                }
                return value;
            } catch (NumberFormatException e) {
                errors.add(name + "=" + v.get() + ": not an integer");
                return fallback;
            }
        }

        Duration duration(final String name, final String fallback) {
            final String v = text(name, fallback);
            try {
                final Duration d = Duration.parse(v);
                if (d.isNegative() || d.isZero()) {
                    errors.add(name + "=" + v + ": must be positive");
                    return Duration.parse(fallback);
                }
                return d;
            } catch (DateTimeParseException e) {
                errors.add(name + "=" + v + ": not an ISO-8601 duration such as PT5M");
                return Duration.parse(fallback);
            }
        }

        boolean bool(final String name, final boolean fallback) {
            final Optional<String> v = optional(name);
            if (v.isEmpty()) {
                return fallback;
            }
            final String text = v.get().toLowerCase(Locale.ROOT);
            if (!text.equals("true") && !text.equals("false")) {
                errors.add(name + "=" + v.get() + ": must be true or false");
                return fallback;
            }
            return Boolean.parseBoolean(text);
        }

        String oneOf(final String name, final String fallback, final List<String> allowed) {
            final String v = text(name, fallback).toLowerCase(Locale.ROOT);
            if (!allowed.contains(v)) {
                errors.add(name + "=" + v + ": must be one of " + allowed);
                return fallback;
            }
            return v;
        }

        long size(final String name, final String fallback) {
            final String v = text(name, fallback);
            final Matcher m = SIZE.matcher(v);
            if (!m.matches()) {
                errors.add(name + "=" + v + ": not a size such as 1MiB or 65536");
                return 1 << 20;
            }
            final long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                errors.add(name + "=" + v + ": too large");
                return 1 << 20;
            }
            final String unit = m.group(2).toLowerCase(Locale.ROOT);
            final long factor = switch (unit) {
                case "kb", "kib" -> 1L << 10;
                case "mb", "mib" -> 1L << 20;
                case "gb", "gib" -> 1L << 30;
                default -> 1L;
            };
            if (n <= 0) {
                errors.add(name + "=" + v + ": must be positive");
                return 1 << 20;
            }
            try {
                return Math.multiplyExact(n, factor);
            } catch (ArithmeticException e) {
                errors.add(name + "=" + v + ": too large");
                return 1 << 20;
            }
        }

        void failIfInvalid() {
            if (!errors.isEmpty()) {
                throw new ConfigException("invalid configuration: " + String.join("; ", errors));
            }
        }
    }
}
