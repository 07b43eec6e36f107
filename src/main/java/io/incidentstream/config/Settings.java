package io.incidentstream.config;

import static io.incidentstream.config.Setting.bool;
import static io.incidentstream.config.Setting.computedText;
import static io.incidentstream.config.Setting.duration;
import static io.incidentstream.config.Setting.durations;
import static io.incidentstream.config.Setting.integer;
import static io.incidentstream.config.Setting.names;
import static io.incidentstream.config.Setting.oneOf;
import static io.incidentstream.config.Setting.size;
import static io.incidentstream.config.Setting.text;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every environment variable the app reads, declared once (name, parsing and validation, default,
 * meaning), as Kafka's {@code ConfigDef} does. {@link Config#from} parses them, the README's
 * configuration table is {@link #markdownTable()} (a test keeps it in step), and the deployment tests
 * check that compose and Helm set only names listed here.
 */
public final class Settings {
    /** Variables with this prefix pass through to Kafka Streams: {@code KAFKA_STREAMS_SESSION_TIMEOUT_MS} → {@code session.timeout.ms}. */
    public static final String STREAMS_PREFIX = "KAFKA_STREAMS_";

    /** The shortest {@code PEER_TOKEN} accepted. */
    public static final int MIN_PEER_TOKEN = 16;

    public static final Setting<String> KAFKA_BOOTSTRAP_SERVERS =
            computedText("KAFKA_BOOTSTRAP_SERVERS", "unset → embedded broker", "the cluster to use");
    public static final Setting<Integer> EMBEDDED_KAFKA_PORT = integer(
            "EMBEDDED_KAFKA_PORT",
            9092,
            0,
            65535,
            "where the embedded broker listens on 127.0.0.1 (`0` = any free port)");
    public static final Setting<String> DATA_DIR =
            text("DATA_DIR", "./data", "embedded broker logs (`$DATA_DIR/kafka`) and the state directory");
    public static final Setting<String> STATE_DIR =
            computedText("STATE_DIR", "`$DATA_DIR/state`", "Kafka Streams state (RocksDB)");
    public static final Setting<String> HTTP_HOST =
            computedText("HTTP_HOST", "`127.0.0.1` while auth is off, else `0.0.0.0`", "the API's bind address");
    public static final Setting<Integer> HTTP_PORT =
            integer("HTTP_PORT", 8080, 0, 65535, "the API's port (`0` = any free port)");
    public static final Setting<String> APPLICATION_SERVER =
            computedText("APPLICATION_SERVER", "`localhost:$HTTP_PORT`", "host:port peers use to reach this instance");
    public static final Setting<String> APPLICATION_ID = text(
            "APPLICATION_ID",
            "incident-stream",
            "Kafka Streams application id (consumer group, internal topic prefix)");
    public static final Setting<String> AUTH_TOKENS_FILE = computedText(
            "AUTH_TOKENS_FILE",
            "unset → auth off",
            "bearer tokens with their tenant and scopes, JSON or YAML, re-read every 2 s; see"
                    + " [Auth and tenancy](#auth-and-tenancy). Needs `PEER_TOKEN`");
    public static final Setting<Boolean> ALLOW_ANONYMOUS = bool(
            "ALLOW_ANONYMOUS",
            false,
            "`true`: accept auth off (no `AUTH_TOKENS_FILE`) on a non-loopback `HTTP_HOST`, where anyone who can"
                    + " reach the port reads and changes every incident. Without it the start fails in that case");
    public static final Setting<Duration> INCIDENT_TTL = duration(
            "INCIDENT_TTL",
            "PT5M",
            "`validUntil` when an alert gives none; from Alertmanager it must exceed `repeat_interval + group_interval`");
    public static final Setting<Duration> PAGERDUTY_TTL =
            duration("PAGERDUTY_TTL", "PT24H", "how long a PagerDuty trigger stays open without a repeat or a resolve");
    public static final Setting<String> PROCESSING_GUARANTEE = oneOf(
            "PROCESSING_GUARANTEE",
            "exactly_once_v2",
            List.of("exactly_once_v2", "at_least_once"),
            "or `at_least_once`: faster, but a crashed instance can then open a second incident for one alert check and"
                    + " write transitions twice (`CrashIT` with `-Dcrash.guarantee=at_least_once` shows it)");
    public static final Setting<Duration> FLAP_WINDOW =
            duration("FLAP_WINDOW", "PT10M", "a re-fire this soon after resolve/expiry reopens the same incident");
    public static final Setting<Integer> TOPIC_PARTITIONS =
            integer("TOPIC_PARTITIONS", 6, 1, 10_000, "partitions of the topics the app creates");
    public static final Setting<Integer> TOPIC_REPLICATION_FACTOR = new Setting<>(
            "TOPIC_REPLICATION_FACTOR",
            Settings::replicationFactor,
            -1,
            "`-1` (broker default)",
            "replication of the topics the app creates");
    public static final Setting<Integer> NUM_STANDBY_REPLICAS = integer(
            "NUM_STANDBY_REPLICAS",
            1,
            0,
            10,
            "warm standbys for failover; with one instance there is nowhere to put one and nothing happens");
    public static final Setting<String> INSTANCE_ID = computedText(
            "INSTANCE_ID",
            "`$HOSTNAME` in Kubernetes (the StatefulSet pod name), else unset → dynamic membership; set empty for"
                    + " dynamic membership in Kubernetes",
            "static group membership (`group.instance.id`, one per instance, stable across restarts): a restart"
                    + " within `session.timeout.ms` (`KAFKA_STREAMS_SESSION_TIMEOUT_MS`, Kafka's default 45 s) moves no"
                    + " partition; see [Operations](#operations)");
    public static final Setting<Boolean> LEAVE_GROUP_ON_CLOSE = new Setting<>(
            "LEAVE_GROUP_ON_CLOSE",
            Setting::parseBoolean,
            null,
            "`true` without `INSTANCE_ID`, `false` with it",
            "whether a clean shutdown leaves the group at once (its partitions move now) or stays a member until"
                    + " the session timeout (a restart finds them still its own). Set `true` before scaling in for good");
    public static final Setting<Long> MAX_READ_STALENESS = new Setting<>(
            "MAX_READ_STALENESS",
            Settings::staleness,
            10_000L,
            "`10000`",
            "while a partition's active task is away (restarting, moving), lists and gets are served from a standby"
                    + " replica whose changelog lag is at most this many records, with `X-Incident-Staleness`; beyond"
                    + " it, 503 + `Retry-After`. `0`: only a fully caught-up standby; `-1`: never from a standby");
    public static final Setting<Long> HTTP_MAX_BODY =
            size("HTTP_MAX_BODY", "1MiB", "larger request bodies get 413 (`65536`, `512KiB`, `2MB` …)");
    public static final Setting<Duration> PRODUCE_TIMEOUT = duration(
            "PRODUCE_TIMEOUT",
            "PT10S",
            "how long a write to Kafka may take — a whole `POST` ingest request however many alerts it holds, or the "
                    + "command of a `POST`/`PATCH`/`DELETE /incidents` — before 503 + `Retry-After`; what was sent by "
                    + "then may still be stored (retries are safe, see [When the broker is down](#when-the-broker-is-down))");
    public static final Setting<Duration> EXPIRY_INTERVAL =
            duration("EXPIRY_INTERVAL", "PT1S", "how often each partition sweeps for expired incidents");
    public static final Setting<Integer> EXPIRY_MAX_PER_TICK = integer(
            "EXPIRY_MAX_PER_TICK",
            1000,
            1,
            1_000_000,
            "incidents expired (and, separately, purged) per partition per sweep at most; the rest go next tick");
    public static final Setting<Duration> INCIDENT_RETENTION = duration(
            "INCIDENT_RETENTION",
            "P30D",
            "how long a resolved or expired incident is kept after its last change; then the expiry sweep purges it"
                    + " from every store (as a `DELETE` would), with a tombstone on `incidents` and a `purged` entry on"
                    + " `incident-events`. Keep it above `FLAP_WINDOW`");
    public static final Setting<Duration> SILENCE_RETENTION = duration(
            "SILENCE_RETENTION",
            "P5D",
            "how long an expired silence is still listed (`GET /api/v2/silences`) and can be updated into a new"
                    + " one; then a tombstone deletes it from the `silences` topic");
    public static final Setting<List<String>> INDEXED_LABELS = names(
            "INDEXED_LABELS",
            "service,team,env,host",
            "label names whose equality matchers (`label=service=checkout`) the list index answers: such a page costs"
                    + " O(limit) at any depth. Each costs two index entries per incident that has the label; empty for"
                    + " none. A change rebuilds each partition's indexes once at the next start");
    public static final Setting<Integer> LABEL_SCAN_BUDGET = integer(
            "LABEL_SCAN_BUDGET",
            10_000,
            100,
            10_000_000,
            "index entries one instance reads at most for one page of a list whose label matchers the index cannot"
                    + " answer; when it runs out first the page holds what was found and a `nextToken` that goes on"
                    + " from there");
    public static final Setting<Long> ROCKSDB_MEMORY = size(
            "ROCKSDB_MEMORY",
            "256MiB",
            "off-heap memory all RocksDB stores of the process share: one block cache (with index and filter blocks)"
                    + " and the memtables, at most half of it (`store/BoundedRocksDbMemory`). Resident memory ≈ JVM heap"
                    + " + this + a little; Kafka Streams' record cache (Kafka's default 10 MiB,"
                    + " `KAFKA_STREAMS_STATESTORE_CACHE_MAX_BYTES`; only the counters and command results use it) is on"
                    + " the heap");
    public static final Setting<Duration> SHUTDOWN_TIMEOUT =
            duration("SHUTDOWN_TIMEOUT", "PT30S", "how long a clean shutdown waits for Kafka Streams");
    public static final Setting<String> CURSOR_SECRET = computedText(
            "CURSOR_SECRET",
            "with auth: generated once into `$DATA_DIR/cursor-secret`; without: derived from `APPLICATION_ID`",
            "HMAC key of `nextToken`. Set the same secret on every instance (a cursor one instance issued is checked by"
                    + " whichever instance gets the next page); the generated one suits a single instance only");
    public static final Setting<String> CURSOR_SECRET_PREVIOUS = computedText(
            "CURSOR_SECRET_PREVIOUS",
            "unset",
            "during a rotation: the secret `CURSOR_SECRET` replaced, still accepted for tokens it signed (each token names"
                    + " its key), so pages in flight go on. Remove it once clients have moved on");
    public static final Setting<String> PEER_TOKEN = new Setting<>(
            "PEER_TOKEN",
            Settings::peerToken,
            null,
            "unset",
            "bearer credential required on the internal peer endpoints (`/internal/v1/*`) and sent by peers; set the"
                    + " same value on every instance, at least " + Settings.MIN_PEER_TOKEN + " characters. Required"
                    + " when `AUTH_TOKENS_FILE` is set (the start fails without it)");
    public static final Setting<PortRanges> PEER_PORTS = new Setting<>(
            "PEER_PORTS",
            PortRanges::parse,
            null,
            "the port of `APPLICATION_SERVER`",
            "ports peer calls may go to (`8080`, `8080,8443`, `8080-8089`). Peers are the members of the Kafka Streams"
                    + " group, each announcing its own `APPLICATION_SERVER`; a member announcing another port is left"
                    + " out (lists then answer 503 and the log names it), so a rogue group member cannot steer this"
                    + " instance's calls, with its `PEER_TOKEN`, to arbitrary services");
    public static final Setting<Duration> PEER_TIMEOUT =
            duration("PEER_TIMEOUT", "PT2S", "how long a list waits for each peer's page, and a get for the owner");
    public static final Setting<Integer> MAX_IN_FLIGHT_WRITES = integer(
            "MAX_IN_FLIGHT_WRITES",
            64,
            1,
            100_000,
            "writes (`POST`, `PATCH`, `DELETE /incidents`) one instance waits on at once; each holds a request thread"
                    + " until applied (up to `COMMAND_TIMEOUT`), so beyond this a write gets 503 + `Retry-After` at once"
                    + " instead of starving reads");
    public static final Setting<Integer> STREAM_MAX_CLIENTS = integer(
            "STREAM_MAX_CLIENTS",
            256,
            1,
            100_000,
            "live-stream (`GET /incidents/stream`) clients one instance serves at once; each holds a thread while"
                    + " connected, so beyond this a new one gets 503 + `Retry-After` (clients can use another instance)");
    public static final Setting<Integer> STREAM_CLIENT_QUEUE = integer(
            "STREAM_CLIENT_QUEUE",
            1000,
            1,
            1_000_000,
            "changes one live-stream client may fall behind by; a client further behind (too slow to read what"
                    + " it asked for) is disconnected rather than buffered for, and resumes with `Last-Event-ID`");
    public static final Setting<Duration> STREAM_HEARTBEAT = duration(
            "STREAM_HEARTBEAT",
            "PT15S",
            "how long a live-stream connection may be silent before it gets a heartbeat comment, which keeps"
                    + " proxies from closing it and tells the server a client has gone");
    public static final Setting<Integer> STREAM_SNAPSHOT_MAX = integer(
            "STREAM_SNAPSHOT_MAX",
            1000,
            1,
            100_000,
            "most incidents `GET /incidents/stream?snapshot=true` sends before the changes, the newest first;"
                    + " `snapshot-complete` says whether more matched");
    public static final Setting<Integer> ALERTMANAGER_API_MAX_ALERTS = integer(
            "ALERTMANAGER_API_MAX_ALERTS",
            1000,
            1,
            10_000,
            "most alerts (or groups) one answer of Alertmanager's read API (`GET /api/v2/alerts`,"
                    + " `/api/v2/alerts/groups`) holds, the newest matches; a walk reads at most 10 × this many open"
                    + " incidents. An answer cut short has the header `Incident-Stream-Truncated: true`");

    public static final Setting<Boolean> ALERTMANAGER_GROUPS = bool(
            "ALERTMANAGER_GROUPS",
            false,
            "`true`: the alerts of one Alertmanager webhook notification group (its `groupKey`) are one incident, its"
                    + " members (built-in rule `alertmanager`, tried before the tenant's rules; it resolves when every member"
                    + " has). `false`: each alert is an incident, or grouped by the tenant's rules");

    public static final Setting<String> REKEY_FORMAT = oneOf(
            "REKEY_FORMAT",
            "binary",
            List.of("binary", "json"),
            "how alerts are written to the internal re-key topic (grouped alerts, and alerts not keyed by their"
                    + " alert key, cross it). Both forms are always read. `json` only while upgrading from a version"
                    + " before the binary form (which cannot read it): roll out with `json`, then without");

    public static final Setting<Boolean> WEBHOOK_ALLOW_PRIVATE = bool(
            "WEBHOOK_ALLOW_PRIVATE",
            false,
            "`true`: deliver webhooks to receivers on loopback, private (RFC 1918, IPv6 unique local) and link-local"
                    + " addresses too. Off, a tenant cannot make the server call inside its network: the receiver's"
                    + " host is resolved and checked at every attempt, and the connection goes to the address checked");
    public static final Setting<Integer> WEBHOOK_QUEUE = integer(
            "WEBHOOK_QUEUE",
            1000,
            1,
            1_000_000,
            "deliveries one webhook subscription may have waiting on an instance; beyond, new ones go to topic"
                    + " `webhook-retries`, due 5 s later (never dropped), so a slow receiver holds up only itself");
    public static final Setting<List<Duration>> WEBHOOK_RETRY_DELAYS = durations(
            "WEBHOOK_RETRY_DELAYS",
            "PT5S,PT30S,PT2M,PT10M,PT1H",
            "waits between a failed webhook attempt (timeout, connection error, 429, 5xx) and the next, each spread"
                    + " by ±20 %; the last repeats until `WEBHOOK_RETRY_FOR` has passed since the first attempt. A"
                    + " receiver's `Retry-After` lengthens a wait, never shortens it");
    public static final Setting<Duration> WEBHOOK_RETRY_FOR = duration(
            "WEBHOOK_RETRY_FOR",
            "PT24H",
            "how long a webhook delivery is retried before it is given up (logged as failed)");
    public static final Setting<Duration> COMMAND_TIMEOUT = duration(
            "COMMAND_TIMEOUT", "PT5S", "how long a write waits for the owner to apply it before answering 202");
    public static final Setting<Integer> RATE_LIMIT_PER_MIN = integer(
            "RATE_LIMIT_PER_MIN",
            6000,
            0,
            Integer.MAX_VALUE,
            "requests per minute per token (token bucket: that many in a burst, refilled continuously; 100 a second"
                    + " on average is far above what a dashboard or an Alertmanager sends); over it, 429 +"
                    + " `Retry-After`. `0` turns it off. Not applied while auth is off");
    public static final Setting<Integer> AUTH_FAILURES_PER_MIN = integer(
            "AUTH_FAILURES_PER_MIN",
            30,
            0,
            Integer.MAX_VALUE,
            "failed authentications (missing or unknown token) per minute per client address; beyond, every request"
                    + " from that address gets 429 + `Retry-After` until the budget refills, so tokens cannot be"
                    + " guessed at speed. Behind a proxy all clients share its address: raise it there. `0` turns it"
                    + " off");
    public static final Setting<Boolean> METRICS_AUTH =
            bool("METRICS_AUTH", false, "`true`: `GET /metrics` needs an `admin` token (needs `AUTH_TOKENS_FILE`)");
    public static final Setting<String> LOG_FORMAT = oneOf(
            "LOG_FORMAT", "text", List.of("text", "json"), "or `json` (one JSON object per line); read by logback");
    public static final Setting<String> LOG_LEVEL = oneOf(
            "LOG_LEVEL",
            "info",
            List.of("trace", "debug", "info", "warn", "error", "off"),
            "root log level; read by logback");

    /** Every setting, in the README's order. */
    public static final List<Setting<?>> ALL = List.of(
            KAFKA_BOOTSTRAP_SERVERS,
            EMBEDDED_KAFKA_PORT,
            DATA_DIR,
            STATE_DIR,
            HTTP_HOST,
            HTTP_PORT,
            APPLICATION_SERVER,
            APPLICATION_ID,
            AUTH_TOKENS_FILE,
            ALLOW_ANONYMOUS,
            INCIDENT_TTL,
            PAGERDUTY_TTL,
            PROCESSING_GUARANTEE,
            FLAP_WINDOW,
            TOPIC_PARTITIONS,
            TOPIC_REPLICATION_FACTOR,
            NUM_STANDBY_REPLICAS,
            INSTANCE_ID,
            LEAVE_GROUP_ON_CLOSE,
            MAX_READ_STALENESS,
            HTTP_MAX_BODY,
            PRODUCE_TIMEOUT,
            EXPIRY_INTERVAL,
            EXPIRY_MAX_PER_TICK,
            INCIDENT_RETENTION,
            INDEXED_LABELS,
            LABEL_SCAN_BUDGET,
            ROCKSDB_MEMORY,
            SHUTDOWN_TIMEOUT,
            CURSOR_SECRET,
            CURSOR_SECRET_PREVIOUS,
            PEER_TOKEN,
            PEER_PORTS,
            PEER_TIMEOUT,
            COMMAND_TIMEOUT,
            MAX_IN_FLIGHT_WRITES,
            STREAM_MAX_CLIENTS,
            STREAM_CLIENT_QUEUE,
            STREAM_HEARTBEAT,
            STREAM_SNAPSHOT_MAX,
            ALERTMANAGER_API_MAX_ALERTS,
            ALERTMANAGER_GROUPS,
            REKEY_FORMAT,
            SILENCE_RETENTION,
            WEBHOOK_ALLOW_PRIVATE,
            WEBHOOK_QUEUE,
            WEBHOOK_RETRY_DELAYS,
            WEBHOOK_RETRY_FOR,
            RATE_LIMIT_PER_MIN,
            AUTH_FAILURES_PER_MIN,
            METRICS_AUTH,
            LOG_FORMAT,
            LOG_LEVEL);

    /** Rows for variable families rather than single names. */
    private static final List<String> PREFIX_ROWS = List.of(
            "| `" + KafkaClientSettings.PREFIX + "*` | — | settings for every Kafka client the app makes (Streams,"
                    + " producers, admin clients), for a secured cluster: `KAFKA_SECURITY_PROTOCOL=SASL_SSL` sets"
                    + " `security.protocol`, likewise `KAFKA_SASL_MECHANISM`, `KAFKA_SASL_JAAS_CONFIG`,"
                    + " `KAFKA_SSL_TRUSTSTORE_LOCATION` …; only names Kafka's clients define are taken (others are"
                    + " logged and ignored); see [Secured Kafka](#secured-kafka) |",
            "| `" + STREAMS_PREFIX + "*` | — | passed to Kafka Streams only, after the `KAFKA_*` settings:"
                    + " `KAFKA_STREAMS_SESSION_TIMEOUT_MS=10000` sets `session.timeout.ms` |");

    private Settings() {}

    /** Whether the app reads a variable of this name. */
    public static boolean isKnown(final String name) {
        return ALL.stream().anyMatch(s -> s.name().equals(name))
                || (name.startsWith(STREAMS_PREFIX) && name.length() > STREAMS_PREFIX.length())
                || KafkaClientSettings.isClientSetting(name);
    }

    /** The README's configuration table. */
    public static String markdownTable() {
        return "| variable | default | meaning |\n|---|---|---|\n"
                + ALL.stream().map(Setting::markdownRow).collect(Collectors.joining("\n", "", "\n"))
                + String.join("\n", PREFIX_ROWS)
                + "\n";
    }

    /** A guessable peer token opens every tenant's incidents to whoever can reach the internal endpoints. */
    private static String peerToken(final String v) {
        if (v.length() < MIN_PEER_TOKEN) {
            throw new IllegalArgumentException(
                    "too short: at least " + MIN_PEER_TOKEN + " characters (e.g. the output of"
                            + " java -cp incident-stream.jar io.incidentstream.auth.HashToken --generate)");
        }
        return v;
    }

    private static Long staleness(final String v) {
        try {
            final long value = Long.parseLong(v);
            if (value < -1) {
                throw new IllegalArgumentException("must be -1 (never stale) or a number of records >= 0");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number of records", e);
        }
    }

    /** -1 means the broker's default; 0 is not a replication factor. */
    private static int replicationFactor(final String v) {
        final int value =
                integer("TOPIC_REPLICATION_FACTOR", -1, -1, 32, "").parse().apply(v);
        if (value == 0) {
            throw new IllegalArgumentException("must be -1 (broker default) or 1..32");
        }
        return value;
    }
}
