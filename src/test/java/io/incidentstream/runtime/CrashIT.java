package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.codec.Json;
import io.incidentstream.grouping.GroupLifecycle;
import io.incidentstream.grouping.GroupPreview;
import io.incidentstream.grouping.GroupingRule;
import io.incidentstream.grouping.Rules;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentEvent;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Status;
import io.incidentstream.testkit.ApiClient;
import io.incidentstream.testkit.Ports;
import io.incidentstream.testkit.TestTokens;
import io.incidentstream.topology.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An instance (a child JVM on the shaded jar, {@code exactly_once_v2}, the
 * default) is SIGKILLed in the middle of its work and started again on the same {@code DATA_DIR}.
 * Once it has caught up, every incident read through the API equals a reference fold of the same
 * events by the pure {@link io.incidentstream.model.Lifecycle} (every compared field, the timeline,
 * {@code alertCount} exact), and the committed {@code incident-events} hold each transition exactly
 * once. Three moments to die: in a steady stream, among many small transactions, during an expiry
 * sweep. Sizes grow with {@code -Preliability-long} ({@code crash.events}).
 *
 * <p>{@code -Dcrash.guarantee=at_least_once} runs the same kills without exactly-once, and shows what
 * the test catches: there all three fail, with two incidents for one alert check and transitions on
 * {@code incident-events} twice (without transactions, the stores' changelogs and the input offsets
 * are not committed together, so replayed alerts meet a state that does not match them).
 */
class CrashIT {
    private static final Logger LOG = LoggerFactory.getLogger(CrashIT.class);
    private static final Duration FLAP_WINDOW = Duration.ofMinutes(2);
    private static final Duration INCIDENT_TTL = Duration.ofDays(1);
    private static final Duration CATCH_UP = Duration.ofMinutes(2);
    private static final int EVENTS = Integer.getInteger("crash.events", 5_000);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // the child's log stays for a failure's diagnosis
    Path dir;

    @Test
    void shouldEndEqualToTheReferenceFoldAfterASigkillInASteadyStream() throws Exception {
        crashMidStream("steady", EVENTS, Map.of(), 10, false);
    }

    /** Commits every 10 ms and one small produce request per 10 ms tick: the kill lands among many small transactions. */
    @Test
    void shouldEndEqualToTheReferenceFoldAfterASigkillAmongManySmallTransactions() throws Exception {
        crashMidStream("commit-heavy", EVENTS * 3 / 8, Map.of("KAFKA_STREAMS_COMMIT_INTERVAL_MS", "10"), 4, true);
    }

    @Test
    void shouldExpireEveryIncidentExactlyOnceAfterASigkillDuringTheExpirySweep() throws Exception {
        final int perTenant = EVENTS / 20;
        final int longLived = 30;
        try (EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"), 0, 4);
                ChildApp child = ChildApp.start(
                        env(broker, Map.of("EXPIRY_INTERVAL", "PT0.1S", "EXPIRY_MAX_PER_TICK", "50")),
                        dir.resolve("expiry.log"))) {
            final ApiClient api = ApiClient.on(port);
            await().atMost(TestApp.WAIT).until(() -> api.status("/health/ready") == 200);
            final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            final Instant expiresFrom = now.plusSeconds(8);
            final AlertScript script =
                    AlertScript.expiring(perTenant, now.minusSeconds(60), expiresFrom, Duration.ofSeconds(8));
            for (int a = 0; a < longLived; a++) {
                script.addLongLived(a, perTenant, now.minusSeconds(30));
            }
            final int expiring = perTenant * AlertScript.TENANTS.size();
            try (PacedProducer producer =
                    PacedProducer.start(broker.bootstrapServers(), script.records(), 1000, false)) {
                producer.awaitAllAcknowledged();
            }
            await().atMost(CATCH_UP).ignoreExceptions().until(() -> count(api, "") == expiring + longLived);
            await().atMost(CATCH_UP)
                    .pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions()
                    .until(() -> count(api, "status=EXPIRED") > 0);
            final long expiredAtKill = count(api, "status=EXPIRED");
            child.kill();
            LOG.info(
                    "SIGKILL during the expiry sweep: {} of {} incidents expired at the kill, {} ms after the first was due",
                    expiredAtKill,
                    expiring,
                    Duration.between(expiresFrom, Instant.now()).toMillis());
            assertTrue(expiredAtKill < expiring, "the kill came during the sweep, not after it");
            final long restarted = System.nanoTime();
            child.restart();
            await().atMost(CATCH_UP).ignoreExceptions().until(() -> count(api, "status=EXPIRED") == expiring);
            LOG.info(
                    "Restarted and every incident expired {} ms after the restart",
                    (System.nanoTime() - restarted) / 1_000_000);

            final ReferenceFold reference = new ReferenceFold(FLAP_WINDOW);
            script.decoded().forEach(reference::apply);
            reference.expire(expiresFrom.plusSeconds(9));
            assertEqualToReference(api, reference, false);
            final Map<String, Integer> expiredEvents = new TreeMap<>();
            for (JsonNode event : committedEvents(broker)) {
                if (event.get("type").asText().equals("expired")) {
                    expiredEvents.merge(event.get("incidentId").asText(), 1, Integer::sum);
                }
            }
            assertEquals(expiring, expiredEvents.size(), "one expired event for each expiring incident");
            expiredEvents.forEach((id, n) -> assertEquals(1, n, id + " expired " + n + " times"));
            assertTransitionsExactlyOnce(broker, reference);
        }
    }

    /**
     * Grouped alerts: with a rule grouping by label {@code group} (about ten alerts a group) in place,
     * SIGKILL mid-stream and restart; then every group's incident, its counts and each member's
     * (state, times, severity) equal a reference fold of the same events by the pure grouping code
     * ({@link GroupPreview}, the {@link io.incidentstream.grouping.GroupLifecycle} the fold runs), and
     * the committed {@code incident-events} hold each open and each join exactly once.
     */
    @Test
    void shouldEndEqualToTheReferenceGroupFoldAfterASigkill() throws Exception {
        final int events = EVENTS * 3 / 10;
        final Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(6));
        final AlertScript script = AlertScript.grouped(13, 40, 10, events, start, INCIDENT_TTL);
        final String ruleJson = "{\"id\":\"by-group\",\"groupBy\":[\"group\"],\"window\":\"P7D\",\"maxAge\":\"P30D\"}";
        final GroupPreview reference = new GroupPreview(
                Rules.compile(Json.mapper().readValue(ruleJson, GroupingRule.class)),
                new GroupLifecycle(FLAP_WINDOW),
                0);
        script.decoded().forEach(reference::accept);
        final Map<String, Incident> expected = new TreeMap<>();
        reference.incidents().forEach(i -> expected.put(i.groupKey(), i));
        final long expectedCount =
                expected.values().stream().mapToLong(Incident::alertCount).sum();
        try (EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"), 0, 4);
                ChildApp child = ChildApp.start(env(broker, Map.of()), dir.resolve("grouped.log"))) {
            final ApiClient api = ApiClient.on(port);
            await().atMost(TestApp.WAIT).until(() -> api.status("/health/ready") == 200);
            try (org.apache.kafka.clients.producer.KafkaProducer<String, String> rules =
                    new org.apache.kafka.clients.producer.KafkaProducer<>(Map.of(
                            "bootstrap.servers", broker.bootstrapServers(),
                            "key.serializer", org.apache.kafka.common.serialization.StringSerializer.class,
                            "value.serializer", org.apache.kafka.common.serialization.StringSerializer.class))) {
                for (String tenant : AlertScript.TENANTS) {
                    rules.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                                    Topics.GROUPING_RULES, tenant + "/by-group", ruleJson))
                            .get();
                }
            }
            for (String tenant : AlertScript.TENANTS) {
                await().atMost(TestApp.WAIT)
                        .until(() -> api.as(tenant)
                                        .json("/rules/grouping")
                                        .get("data")
                                        .size()
                                == 1);
            }
            try (PacedProducer producer = PacedProducer.start(broker.bootstrapServers(), script.records(), 4, false)) {
                await().atMost(CATCH_UP)
                        .pollInterval(Duration.ofMillis(250))
                        .ignoreExceptions()
                        .until(() -> producer.sent() >= events * 3 / 10 && alertCount(api) >= expectedCount / 10);
                final long folded = alertCount(api);
                child.kill();
                LOG.info(
                        "grouped: SIGKILL with {} of {} records produced, alertCount {} of {}",
                        producer.sent(),
                        events,
                        folded,
                        expectedCount);
                assertTrue(folded < expectedCount, "the kill came in the middle of the stream");
                child.restart();
                producer.awaitAllAcknowledged();
            }
            final AtomicReference<List<String>> last = new AtomicReference<>(List.of("not read yet"));
            try {
                await().atMost(CATCH_UP)
                        .pollInterval(Duration.ofMillis(500))
                        .ignoreExceptions()
                        .until(() -> {
                            last.set(groupDiff(api, expected));
                            return last.get().isEmpty();
                        });
            } catch (ConditionTimeoutException e) {
                throw new AssertionError(
                        last.get().size() + " differences, first: "
                                + last.get().subList(0, Math.min(10, last.get().size())),
                        e);
            }
            final Map<String, Integer> opened = new TreeMap<>();
            final Map<String, Integer> joins = new TreeMap<>();
            for (JsonNode event : committedEvents(broker)) {
                final String type = event.get("type").asText();
                final String incident = event.get("incidentId").asText();
                if (type.equals("opened")) {
                    opened.merge(incident, 1, Integer::sum);
                } else if (type.equals("joined")) {
                    joins.merge(incident + " " + event.get("note").asText(), 1, Integer::sum);
                }
            }
            assertEquals(expected.size(), opened.size(), "one opened per group");
            opened.forEach((id, n) -> assertEquals(1, n, id + " opened " + n + " times"));
            final long members =
                    expected.values().stream().mapToLong(Incident::memberCount).sum();
            assertEquals(members - expected.size(), joins.size(), "one joined per member but the first");
            joins.forEach((join, n) -> assertEquals(1, n, join + " " + n + " times"));
        }
    }

    /** Differences of the API's grouped incidents from the reference, by group key; members compared as a set. */
    private static List<String> groupDiff(final ApiClient api, final Map<String, Incident> expected) throws Exception {
        final List<String> diff = new ArrayList<>();
        final Map<String, JsonNode> actual = new TreeMap<>();
        for (String tenant : AlertScript.TENANTS) {
            for (JsonNode item : api.as(tenant).listAll("limit=100")) {
                if (actual.put(
                                item.path("groupKey")
                                        .asText("none:" + item.get("id").asText()),
                                item)
                        != null) {
                    diff.add("two incidents of " + item.path("groupKey").asText());
                }
            }
        }
        if (!actual.keySet().equals(expected.keySet())) {
            diff.add("groups " + actual.keySet() + " != " + expected.keySet());
            return diff;
        }
        for (Map.Entry<String, Incident> e : expected.entrySet()) {
            final Incident want = e.getValue();
            final JsonNode item = actual.get(e.getKey());
            final JsonNode full =
                    api.as(want.tenantId()).json("/incidents/" + item.get("id").asText());
            final Map<String, String> wantMembers = new TreeMap<>();
            want.alerts()
                    .forEach(m -> wantMembers.put(
                            m.alertId(), memberText(Json.mapper().valueToTree(m))));
            final Map<String, String> gotMembers = new TreeMap<>();
            full.get("alerts").forEach(m -> gotMembers.put(m.get("alertId").asText(), memberText(m)));
            final String wantHead =
                    want.status() + " " + want.severity().json() + " count=" + want.alertCount() + " members="
                            + want.memberCount() + " last=" + want.lastCheckedAt() + " until=" + want.validUntil();
            final String gotHead =
                    full.get("status").asText() + " " + full.get("severity").asText() + " count="
                            + full.get("alertCount").asLong() + " members="
                            + full.get("memberCount").asLong() + " last="
                            + Instant.parse(full.get("lastCheckedAt").asText()) + " until="
                            + Instant.parse(full.get("validUntil").asText());
            if (!wantHead.equals(gotHead)) {
                diff.add(e.getKey() + ": " + gotHead + " != " + wantHead);
            }
            if (!wantMembers.equals(gotMembers)) {
                diff.add(e.getKey() + " members: " + gotMembers + " != " + wantMembers);
            }
        }
        return diff;
    }

    private static String memberText(final JsonNode m) {
        return m.get("status").asText() + " " + m.get("severity").asText() + " "
                + Instant.parse(m.get("firstSeen").asText()) + " "
                + Instant.parse(m.get("lastCheckedAt").asText())
                + " " + Instant.parse(m.get("validUntil").asText());
    }

    private int port;

    /**
     * Produces a seeded stream at a steady pace, SIGKILLs the instance once it has folded a tenth of
     * it (and 30% is produced), restarts it at once while the stream goes on, and compares.
     */
    private void crashMidStream(
            final String name,
            final int events,
            final Map<String, String> extraEnv,
            final int perTick,
            final boolean flushEachTick)
            throws Exception {
        final Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(6));
        final AlertScript script =
                AlertScript.steady(11, Math.max(20, events / 300), events, start, FLAP_WINDOW, INCIDENT_TTL);
        final ReferenceFold reference = new ReferenceFold(FLAP_WINDOW);
        script.decoded().forEach(reference::apply);
        final long expected = expectedAlertCount(reference);
        try (EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"), 0, 4);
                ChildApp child = ChildApp.start(env(broker, extraEnv), dir.resolve(name + ".log"))) {
            final ApiClient api = ApiClient.on(port);
            await().atMost(TestApp.WAIT).until(() -> api.status("/health/ready") == 200);
            final long started = System.nanoTime();
            try (PacedProducer producer =
                    PacedProducer.start(broker.bootstrapServers(), script.records(), perTick, flushEachTick)) {
                await().atMost(CATCH_UP)
                        .pollInterval(Duration.ofMillis(250))
                        .ignoreExceptions()
                        .until(() -> producer.sent() >= events * 3 / 10 && alertCount(api) >= expected / 10);
                final long folded = alertCount(api);
                child.kill();
                LOG.info(
                        "{}: SIGKILL after {} ms with {} of {} records produced and alertCount {} of {} visible",
                        name,
                        (System.nanoTime() - started) / 1_000_000,
                        producer.sent(),
                        events,
                        folded,
                        expected);
                assertTrue(
                        folded < expected, "the kill came in the middle of the stream, before the instance caught up");
                child.restart();
                producer.awaitAllAcknowledged();
            }
            final long restarted = System.nanoTime();
            awaitEqual(api, reference);
            LOG.info(
                    "{}: equal to the reference fold ({} incidents, {} transitions) {} ms after the stream ended",
                    name,
                    reference.incidents().size(),
                    reference.transitions().size(),
                    (System.nanoTime() - restarted) / 1_000_000);
            assertEqualToReference(api, reference, true);
            assertTransitionsExactlyOnce(broker, reference);
        }
    }

    /** Waits until the API shows the reference state (the instance has caught up); on timeout fails with the differences. */
    private static void awaitEqual(final ApiClient api, final ReferenceFold reference) throws Exception {
        final AtomicReference<List<String>> last = new AtomicReference<>(List.of("not read yet"));
        try {
            await().atMost(CATCH_UP)
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> {
                        last.set(ReferenceFold.diff(reference.incidents(), everyTenant(api)));
                        return last.get().isEmpty();
                    });
        } catch (ConditionTimeoutException e) {
            final List<String> diff = last.get();
            throw new AssertionError(
                    diff.size() + " differences from the reference fold, first: "
                            + diff.subList(0, Math.min(10, diff.size())),
                    e);
        }
    }

    /** Every compared field of every incident; with {@code timelines}, each incident's timeline from {@code GET /incidents/{id}}. */
    private static void assertEqualToReference(
            final ApiClient api, final ReferenceFold reference, final boolean timelines) throws Exception {
        final List<JsonNode> actual = everyTenant(api);
        assertEquals(List.of(), ReferenceFold.diff(reference.incidents(), actual));
        assertEquals(
                expectedAlertCount(reference),
                actual.stream().mapToLong(i -> i.get("alertCount").asLong()).sum(),
                "every FIRING folded exactly once");
        assertIndexesAgree(api, reference);
        if (timelines) {
            final Map<String, Incident> expected = reference.incidents();
            for (JsonNode incident : actual) {
                final JsonNode full = api.as(incident.get("tenantId").asText())
                        .json("/incidents/" + incident.get("id").asText());
                final JsonNode want = Json.mapper()
                        .valueToTree(
                                expected.get(ReferenceFold.identity(incident)).timeline());
                assertEquals(want, full.get("timeline"), () -> "timeline of " + ReferenceFold.identity(incident));
            }
        }
    }

    /**
     * The list and filter indexes (rebuilt from the incidents after a crash, not restored) list each
     * incident exactly once under its current status and severity, and in {@code sort=updatedAt} order.
     */
    private static void assertIndexesAgree(final ApiClient api, final ReferenceFold reference) throws Exception {
        for (Status status : Status.values()) {
            for (String filter : List.of(
                    "status=" + status,
                    "status=" + status + "&severity=high",
                    "status=" + status + "&sort=updatedAt")) {
                final List<String> listed = new ArrayList<>();
                for (String tenant : AlertScript.TENANTS) {
                    api.as(tenant).listAll("limit=100&" + filter).forEach(i -> listed.add(ReferenceFold.identity(i)));
                }
                final List<String> expected = reference.incidents().entrySet().stream()
                        .filter(e -> e.getValue().status() == status
                                && (!filter.contains("severity") || e.getValue().severity() == Severity.HIGH))
                        .map(Map.Entry::getKey)
                        .sorted()
                        .toList();
                assertEquals(expected, listed.stream().sorted().toList(), "incidents listed with " + filter);
            }
        }
    }

    /** The committed {@code incident-events} are exactly the reference's transitions: none lost, none doubled. */
    private static void assertTransitionsExactlyOnce(final EmbeddedKafka broker, final ReferenceFold reference)
            throws Exception {
        final List<String> actual = new ArrayList<>();
        for (JsonNode event : committedEvents(broker)) {
            actual.add(ReferenceFold.withoutId(Json.mapper().treeToValue(event, IncidentEvent.class)));
        }
        actual.sort(null);
        assertEquals(reference.transitions().size(), actual.size(), "transitions on incident-events");
        assertEquals(reference.transitions(), actual);
    }

    private static List<JsonNode> committedEvents(final EmbeddedKafka broker) throws Exception {
        final List<JsonNode> events = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                CommittedRecords.readAll(broker.bootstrapServers(), Topics.INCIDENT_EVENTS)) {
            events.add(Json.mapper().readTree(r.value()));
        }
        return events;
    }

    private static long expectedAlertCount(final ReferenceFold reference) {
        return reference.incidents().values().stream()
                .mapToLong(Incident::alertCount)
                .sum();
    }

    private static long alertCount(final ApiClient api) throws Exception {
        return everyTenant(api).stream()
                .mapToLong(i -> i.get("alertCount").asLong())
                .sum();
    }

    /** Incidents of all tenants matching {@code filter} (query parameters, empty for all), by {@code includeCount}. */
    private static long count(final ApiClient api, final String filter) throws Exception {
        long total = 0;
        for (String tenant : AlertScript.TENANTS) {
            total += api.as(tenant).count(filter);
        }
        return total;
    }

    /** Every incident of every tenant of the script, each read with its tenant's token; repeats kept. */
    private static List<JsonNode> everyTenant(final ApiClient api) throws Exception {
        final List<JsonNode> all = new ArrayList<>();
        for (String tenant : AlertScript.TENANTS) {
            all.addAll(api.as(tenant).listAll("limit=100"));
        }
        return all;
    }

    private Map<String, String> env(final EmbeddedKafka broker, final Map<String, String> extra) throws Exception {
        port = Ports.freePort();
        // (instanceEnv's short session: the killed member must be gone before the restarted one gets its partitions)
        final Map<String, String> env =
                TestApp.instanceEnv(broker.bootstrapServers(), "crash-it", port, dir.resolve("app"));
        env.put("TOPIC_PARTITIONS", "4");
        env.put("NUM_STANDBY_REPLICAS", "0");
        env.put(
                "AUTH_TOKENS_FILE",
                TestTokens.write(dir.resolve("tokens.yaml"), TestTokens.perTenant(AlertScript.TENANTS))
                        .toString());
        env.put("PROCESSING_GUARANTEE", System.getProperty("crash.guarantee", "exactly_once_v2"));
        env.put("INCIDENT_TTL", INCIDENT_TTL.toString());
        env.put("FLAP_WINDOW", FLAP_WINDOW.toString());
        env.putAll(extra);
        return env;
    }
}
