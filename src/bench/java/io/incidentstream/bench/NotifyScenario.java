package io.incidentstream.bench;

import com.sun.net.httpserver.HttpServer;
import io.incidentstream.config.Config;
import io.incidentstream.topology.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Scenario 7: the cost of webhook notifications. The application (the jar, as deployed) ingests the
 * same alert set twice, each time on a fresh broker (the first tenth as a warm-up, the rest timed until
 * applied, by {@code alerts_consumed_total}): once with no subscription, once with one subscription
 * (every event, no filter) to a receiver in this JVM on loopback (HTTP/1.1, answers 204 at once). The
 * ratio of the two ingest rates is the figure; the target is ≥ 0.9.
 *
 * <p>Then {@value #PROBES} alerts are posted one by one, each timed from the moment the harness's own
 * read-committed consumer of {@code incident-events} sees its transition (committed: what the delivery
 * consumer can read at the earliest) to the receiver getting its {@code incident.opened}: p99 of the
 * delivery delay.
 */
final class NotifyScenario {
    static final int PROBES = 200;
    private static final String PROBE_PREFIX = "\"alertId\":\"notify-probe-";

    record Result(
            long events,
            double perSecondWithout,
            double perSecondWith,
            Latencies delay,
            long deliveredDuringIngest,
            double transitionsDuringIngest) {
        double ratio() {
            return perSecondWith / perSecondWithout;
        }
    }

    private NotifyScenario() {}

    static Result run(final Bench.Sizes sizes, final Path work, final Path jar) throws Exception {
        final long events = sizes.peerEvents();
        final Run without = runOne(sizes, work, jar, events, false);
        final Run with = runOne(sizes, work, jar, events, true);
        return new Result(events, without.perSecond, with.perSecond, with.delay, with.delivered, with.transitions);
    }

    private record Run(double perSecond, Latencies delay, long delivered, double transitions) {}

    private static Run runOne(
            final Bench.Sizes sizes, final Path work, final Path jar, final long events, final boolean subscribed)
            throws Exception {
        final String name = "notify-" + (subscribed ? "on" : "off");
        final Map<String, String> env = new HashMap<>(Bench.envList(sizes.appEnv()));
        env.put("APPLICATION_ID", "bench-" + name);
        env.put("WEBHOOK_ALLOW_PRIVATE", "true");
        try (BenchBroker broker = BenchBroker.start(work.resolve("kafka-" + name), Bench.PARTITIONS);
                Receiver receiver = Receiver.start()) {
            env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
            broker.createAppTopics(Config.from(env));
            final AlertSet set = AlertSet.ingest(
                    events,
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1)),
                    Duration.ofHours(4));
            try (AppProcess app = AppProcess.start(
                    jar,
                    sizes.appXmx(),
                    broker.bootstrapServers(),
                    work.resolve("app-" + name),
                    env,
                    work.resolve("app-" + name + ".log"))) {
                app.awaitReady(Duration.ofMinutes(5));
                if (subscribed) {
                    final BenchHttp.Response r = app.http()
                            .post(
                                    "/webhooks",
                                    ("{\"url\":\"" + receiver.url() + "\"}").getBytes(StandardCharsets.UTF_8));
                    if (r.status() != 201) {
                        throw new IllegalStateException("subscribing answered " + r.status() + ": " + r.text());
                    }
                }
                final long warmup = events / 10;
                broker.produce(Topics.ALERTS, warmup, set::event);
                app.awaitConsumed(warmup, Duration.ofMinutes(5));
                final long started = System.nanoTime();
                final Thread producer =
                        new Thread(() -> broker.produce(Topics.ALERTS, events - warmup, i -> set.event(warmup + i)));
                producer.start();
                app.awaitConsumed(events, Duration.ofMinutes(20));
                final double perSecond = (events - warmup) / ((System.nanoTime() - started) / 1e9);
                producer.join();
                final long delivered = receiver.requests();
                final double transitions = app.metric("incidents_opened_total");
                Bench.log(
                        "notify: subscribed %s, ingest %,.0f events/s; %,d deliveries received by then (%,.0f incidents opened)",
                        subscribed, perSecond, delivered, transitions);
                if (!subscribed) {
                    return new Run(perSecond, new Latencies(), 0, transitions);
                }
                final Latencies delay = probe(app, broker.bootstrapServers(), receiver);
                Bench.log("notify: delay commit -> receiver %s", delay);
                return new Run(perSecond, delay, delivered, transitions);
            }
        }
    }

    /** Posts the probes one by one and times each from its commit on incident-events to its delivery. */
    private static Latencies probe(final AppProcess app, final String bootstrap, final Receiver receiver)
            throws Exception {
        final Map<String, Long> committed = new ConcurrentHashMap<>();
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            final List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(Topics.INCIDENT_EVENTS)
                    .forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            receiver.probing(true);
            final Instant now = Instant.now();
            for (int i = 0; i < PROBES; i++) {
                final String alert = "{\"alertId\":\"notify-probe-" + i + "\",\"status\":\"FIRING\",\"checkedAt\":\""
                        + now.plusMillis(i) + "\"}";
                app.http().post("/alerts", alert.getBytes(StandardCharsets.UTF_8));
                final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!committed.containsKey(Integer.toString(i)) && System.nanoTime() < until) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(5))) {
                        final String probe = probeOf(r.value());
                        if (probe != null) {
                            committed.putIfAbsent(probe, System.nanoTime());
                        }
                    }
                }
            }
            receiver.awaitProbes(PROBES, Duration.ofSeconds(60));
        }
        final Latencies delay = new Latencies();
        receiver.received().forEach((probe, at) -> {
            final Long commit = committed.get(probe);
            if (commit != null) {
                delay.add(Math.max(0, at - commit) / 1e6);
            }
        });
        return delay;
    }

    /** The probe number in an incident's JSON, or null. */
    static String probeOf(final String json) {
        final int at = json == null ? -1 : json.indexOf(PROBE_PREFIX);
        if (at < 0) {
            return null;
        }
        final int from = at + PROBE_PREFIX.length();
        return json.substring(from, json.indexOf('"', from));
    }

    /** A webhook receiver on loopback that answers 204 at once and notes when each probe arrived. */
    private static final class Receiver implements AutoCloseable {
        private final HttpServer server;
        private final AtomicLong requests = new AtomicLong();
        private final Map<String, Long> received = new ConcurrentHashMap<>();
        private volatile boolean probing;

        private Receiver(final HttpServer server) {
            this.server = server;
        }

        static Receiver start() throws IOException {
            final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            final Receiver r = new Receiver(server);
            server.createContext("/hook", ex -> {
                final byte[] body;
                try (InputStream in = ex.getRequestBody()) {
                    body = in.readAllBytes();
                }
                final long at = System.nanoTime();
                r.requests.incrementAndGet();
                if (r.probing) {
                    final String probe = probeOf(new String(body, StandardCharsets.UTF_8));
                    if (probe != null) {
                        r.received.putIfAbsent(probe, at);
                    }
                }
                ex.sendResponseHeaders(204, -1);
                ex.close();
            });
            server.setExecutor(Executors.newFixedThreadPool(2));
            server.start();
            return r;
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        long requests() {
            return requests.get();
        }

        void probing(final boolean on) {
            probing = on;
        }

        void awaitProbes(final int probes, final Duration timeout) throws InterruptedException {
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (received.size() < probes && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }

        Map<String, Long> received() {
            return received;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
