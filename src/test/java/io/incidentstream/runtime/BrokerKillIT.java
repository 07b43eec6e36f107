package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.codec.Json;
import io.incidentstream.topology.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker is SIGKILLed (a JVM of its own, {@link BrokerProcess}) under two instances: one whose
 * producers have sent before (their metadata is cached) and one whose producers never have (every
 * send first waits for metadata that never comes). Every write route of both, with batches of 1, 10
 * and 1000 alerts, must answer 503 with {@code Retry-After} within {@code PRODUCE_TIMEOUT} and a
 * little, and name no host or port. Then the broker comes back on the same port and log: the same
 * requests, retried, are accepted and stored once.
 */
class BrokerKillIT {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerKillIT.class);
    private static final Duration PRODUCE_TIMEOUT = Duration.ofSeconds(5);
    /** Above the deadline: parsing and validating a 1000-alert body before it starts, on a cold JIT. */
    private static final Duration MARGIN = Duration.ofMillis(1500);

    private static final Duration GIVE_UP = PRODUCE_TIMEOUT.plusSeconds(60);
    private static final List<Integer> BATCHES = List.of(1, 10, 1000);
    /**
     * How long the broker stays down after every request has been answered: none by default; the
     * {@code reliability-long} profile holds it past the stream threads' {@code max.block.ms}.
     */
    private static final Duration HOLD = Duration.ofSeconds(Long.getLong("broker.kill.hold.seconds", 0));

    private static final Pattern HOST_PORT = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}:\\d+|localhost:\\d+");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private final Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
    private final List<Timing> timings = new ArrayList<>(); // filled by the test thread only

    /** One answered request: what, on which instance, how long, and what came back. */
    private record Timing(
            String instance, String request, int batch, long millis, int status, String retryAfter, String body) {}

    @Test
    void shouldAnswerEveryWriteWithin503InProduceTimeoutWhateverTheBatchWhenTheBrokerIsKilled() throws Exception {
        final Path logDir = dir.resolve("kafka");
        BrokerProcess broker = BrokerProcess.start(logDir, 0, 2, dir.resolve("broker.log"));
        final int brokerPort = broker.port();
        try (TestApp warm = TestApp.start(dir.resolve("warm"), "kill-warm", env(broker));
                TestApp cold = TestApp.start(dir.resolve("cold"), "kill-cold", env(broker))) {
            assertEquals(
                    202,
                    send(warm, "POST", "/alerts", nativeAlerts("warm-up", 1), null)
                            .statusCode());
            final HttpResponse<String> created =
                    send(warm, "POST", "/incidents", "{\"title\":\"before the kill\"}", null);
            assertEquals(201, created.statusCode(), created::body);
            final String id = Json.mapper().readTree(created.body()).get("id").asText();
            awaitEverythingCommitted(broker, List.of("kill-warm", "kill-cold"));

            broker.kill();
            LOG.info("Broker killed");
            // every write route of one instance at once, one instance after the other: each request
            // is timed on its own, and the outage lasts as long as the slowest answers, not their sum
            for (TestApp app : List.of(warm, cold)) {
                final String name = app == warm ? "warm" : "cold";
                final List<Callable<Timing>> requests = new ArrayList<>();
                for (int batch : BATCHES) {
                    requests.add(() ->
                            time(app, name, "POST /alerts", batch, "/alerts", n -> nativeAlerts(name + "-native", n)));
                    requests.add(() -> time(
                            app,
                            name,
                            "POST /alerts/alertmanager",
                            batch,
                            "/alerts/alertmanager",
                            n -> webhook(name, n)));
                    requests.add(() -> time(
                            app, name, "POST /api/v2/alerts", batch, "/api/v2/alerts", n -> postableAlerts(name, n)));
                }
                requests.add(() -> time(app, name, "POST /v2/enqueue", 1, "/v2/enqueue", n -> pagerDuty(name)));
                requests.add(() -> timeCommand(
                        app, name, "POST", "/incidents", "{\"title\":\"during the outage\"}", "key-" + name));
                requests.add(() -> timeCommand(
                        app, name, "PATCH", "/incidents/" + id, "{\"note\":\"during the outage\"}", "patch-" + name));
                requests.add(() -> timeCommand(app, name, "DELETE", "/incidents/" + id, null, "delete-" + name));
                final ExecutorService pool = Executors.newFixedThreadPool(requests.size());
                try {
                    for (Future<Timing> answered : pool.invokeAll(requests)) {
                        timings.add(answered.get());
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
            if (!HOLD.isZero()) {
                // long enough that the stream threads' open transactions time out (max.block.ms, 60 s):
                // they are replaced, and the instances recover once the broker is back
                LOG.info("Broker stays down {} more", HOLD);
                Thread.sleep(HOLD.toMillis());
            }
            report();
            assertAll(timings.stream().map(BrokerKillIT::check));

            broker = BrokerProcess.start(logDir, brokerPort, 2, dir.resolve("broker.log"));
            LOG.info("Broker restarted on port {}", brokerPort);
            retriesAreHarmless(warm);
        } finally {
            broker.close();
        }
    }

    /**
     * Waits until both instances have committed all they read. A broker killed while an instance
     * still holds uncommitted writes fails that instance's stream thread once its producer's
     * {@code max.block.ms} (60 s) passes, and Kafka Streams goes to ERROR: another failure than the
     * one this test is about, whose outage lasts minutes.
     */
    private static void awaitEverythingCommitted(final BrokerProcess broker, final List<String> groups) {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        for (String group : groups) {
                            final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                                            group)
                                    .partitionsToOffsetAndMetadata()
                                    .get();
                            final Map<TopicPartition, OffsetSpec> inputs = new HashMap<>();
                            committed.keySet().forEach(tp -> inputs.put(tp, OffsetSpec.latest()));
                            for (String topic : List.of(Topics.ALERTS, Topics.INCIDENT_COMMANDS)) {
                                for (int p = 0; p < 2; p++) {
                                    inputs.put(new TopicPartition(topic, p), OffsetSpec.latest());
                                }
                            }
                            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end :
                                    admin.listOffsets(inputs).all().get().entrySet()) {
                                final OffsetAndMetadata at = committed.get(end.getKey());
                                if ((at == null ? 0 : at.offset())
                                        < end.getValue().offset()) {
                                    return false;
                                }
                            }
                        }
                        return true;
                    });
        }
    }

    /** After the outage: the refused create and alert batch, retried as a client would, are stored once. */
    private void retriesAreHarmless(final TestApp app) throws Exception {
        final String body = "{\"title\":\"during the outage\"}";
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> send(app, "POST", "/incidents", body, "key-warm").statusCode() == 201);
        final HttpResponse<String> first = send(app, "POST", "/incidents", body, "key-warm");
        final HttpResponse<String> again = send(app, "POST", "/incidents", body, "key-warm");
        assertEquals(201, again.statusCode(), again::body);
        assertEquals(
                Json.mapper().readTree(first.body()).get("id"),
                Json.mapper().readTree(again.body()).get("id"),
                "one Idempotency-Key, one incident");
        final String alerts = nativeAlerts("warm-native", 10);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> send(app, "POST", "/alerts", alerts, null).statusCode() == 202);
        assertEquals(202, send(app, "POST", "/alerts", alerts, null).statusCode());
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            final JsonNode incidents = app.incidents("alertTemplateId=kill");
            long retried = 0;
            for (JsonNode incident : incidents) {
                if (incident.get("alertId").asText().startsWith("warm-native-")) {
                    retried++;
                    assertEquals(1, incident.get("alertCount").asLong(), incident::toString);
                }
            }
            assertTrue(retried >= 10, "the ten alerts of the retried batch: " + retried);
        });
        final long created = count(app.incidents("source=manual"), "during the outage");
        assertEquals(1, created, "the create retried with one Idempotency-Key is stored once");
    }

    private static long count(final JsonNode incidents, final String title) {
        long n = 0;
        for (JsonNode incident : incidents) {
            n += title.equals(incident.path("title").asText()) ? 1 : 0;
        }
        return n;
    }

    private Timing time(
            final TestApp app,
            final String instance,
            final String request,
            final int batch,
            final String path,
            final IntFunction<String> body)
            throws Exception {
        return measure(app, instance, request, batch, "POST", path, body.apply(batch), null);
    }

    private Timing timeCommand(
            final TestApp app,
            final String instance,
            final String method,
            final String path,
            final String body,
            final String idempotencyKey)
            throws Exception {
        return measure(
                app,
                instance,
                method + " " + path.replaceAll("/incident\\..*", "/{id}"),
                1,
                method,
                path,
                body,
                idempotencyKey);
    }

    private Timing measure(
            final TestApp app,
            final String instance,
            final String request,
            final int batch,
            final String method,
            final String path,
            final String body,
            final String idempotencyKey)
            throws Exception {
        final long started = System.nanoTime();
        Timing timing;
        try {
            final HttpResponse<String> response = send(app, method, path, body, idempotencyKey);
            timing = new Timing(
                    instance,
                    request,
                    batch,
                    millisSince(started),
                    response.statusCode(),
                    response.headers().firstValue("Retry-After").orElse(null),
                    response.body());
        } catch (HttpTimeoutException e) {
            timing = new Timing(instance, request, batch, millisSince(started), -1, null, "no answer");
        }
        LOG.info("{} {} batch {}: {} in {} ms", instance, request, batch, timing.status(), timing.millis());
        return timing;
    }

    private void report() {
        final StringBuilder table = new StringBuilder("Answers with the broker killed (PRODUCE_TIMEOUT ")
                .append(PRODUCE_TIMEOUT.toMillis())
                .append(" ms):\n");
        for (Timing t : timings) {
            table.append(String.format(
                    Locale.ROOT,
                    "  %-5s %-26s batch %4d: %3d in %5d ms, Retry-After %s%n",
                    t.instance(),
                    t.request(),
                    t.batch(),
                    t.status(),
                    t.millis(),
                    t.retryAfter()));
        }
        LOG.info("{}", table);
    }

    private static Executable check(final Timing t) {
        final String what = t.instance() + " " + t.request() + " batch " + t.batch();
        return () -> {
            assertEquals(503, t.status(), () -> what + ": " + t.body());
            assertTrue(t.retryAfter() != null, what + " carries Retry-After");
            assertTrue(
                    t.millis() <= PRODUCE_TIMEOUT.plus(MARGIN).toMillis(), what + " answered in " + t.millis() + " ms");
            assertTrue(Json.mapper().readTree(t.body()).hasNonNull("message"), what + ": " + t.body());
            assertFalse(HOST_PORT.matcher(t.body()).find(), what + " names a host:port: " + t.body());
        };
    }

    private static Map<String, String> env(final BrokerProcess broker) {
        return Map.of(
                "KAFKA_BOOTSTRAP_SERVERS",
                broker.bootstrapServers(),
                "PRODUCE_TIMEOUT",
                PRODUCE_TIMEOUT.toString(),
                "NUM_STANDBY_REPLICAS",
                "0");
    }

    private String nativeAlerts(final String prefix, final int n) {
        final StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"alertId\":\"")
                    .append(prefix)
                    .append('-')
                    .append(i)
                    .append("\",\"alertTemplateId\":\"kill\",\"status\":\"FIRING\",\"checkedAt\":\"")
                    .append(base.plusSeconds(i))
                    .append("\",\"validUntil\":\"")
                    .append(base.plus(Duration.ofHours(3)))
                    .append("\"}");
        }
        return json.append(']').toString();
    }

    private String webhook(final String prefix, final int n) {
        final StringBuilder alerts = new StringBuilder();
        for (int i = 0; i < n; i++) {
            alerts.append(i == 0 ? "" : ",")
                    .append("{\"status\":\"firing\",\"labels\":{\"alertname\":\"Kill\",\"instance\":\"")
                    .append(prefix)
                    .append('-')
                    .append(i)
                    .append("\"},\"annotations\":{\"summary\":\"broker killed\"},\"startsAt\":\"")
                    .append(base)
                    .append("\",\"endsAt\":\"0001-01-01T00:00:00Z\",\"generatorURL\":\"\",\"fingerprint\":\"")
                    .append(String.format(Locale.ROOT, "%s%012x", prefix.substring(0, 4), i))
                    .append("\"}");
        }
        return "{\"version\":\"4\",\"groupKey\":\"{}:{alertname=\\\"Kill\\\"}\",\"status\":\"firing\","
                + "\"receiver\":\"incident-stream\",\"groupLabels\":{},\"commonLabels\":{},\"commonAnnotations\":{},"
                + "\"externalURL\":\"http://alertmanager\",\"truncatedAlerts\":0,\"alerts\":[" + alerts + "]}";
    }

    private String postableAlerts(final String prefix, final int n) {
        final StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"labels\":{\"alertname\":\"KillApi\",\"instance\":\"")
                    .append(prefix)
                    .append('-')
                    .append(i)
                    .append("\"},\"annotations\":{\"summary\":\"broker killed\"},\"startsAt\":\"")
                    .append(base)
                    .append("\",\"endsAt\":\"")
                    .append(base.plus(Duration.ofHours(3)))
                    .append("\"}");
        }
        return json.append(']').toString();
    }

    private static String pagerDuty(final String prefix) {
        return "{\"routing_key\":\"r\",\"event_action\":\"trigger\",\"dedup_key\":\"" + prefix
                + "-pd\",\"payload\":{\"summary\":\"broker killed\",\"source\":\"test\",\"severity\":\"critical\"}}";
    }

    private static HttpResponse<String> send(
            final TestApp app, final String method, final String path, final String body, final String idempotencyKey)
            throws IOException, InterruptedException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .timeout(GIVE_UP)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long millisSince(final long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
