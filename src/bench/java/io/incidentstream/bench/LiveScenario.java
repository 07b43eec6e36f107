package io.incidentstream.bench;

import io.incidentstream.config.Config;
import io.incidentstream.topology.Topics;
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
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Scenario 6: the cost of the live stream. The application (the jar, as deployed) ingests the same
 * alert set twice (the first tenth as a warm-up, the rest timed until applied, by
 * {@code alerts_consumed_total}), each time on a fresh broker: once with no stream client, once with
 * {@value #CLIENTS} clients reading {@code GET /incidents/stream} the whole time (in this JVM, a
 * thread each, as cheap as a client can be: {@link StreamClients}; they still take some of the same
 * two cores, as browsers on other machines would not, so their CPU time is measured and reported
 * apart, with the app's). The ratio of the two ingest rates is the figure; the target is ≥ 0.9.
 *
 * <p>Then, with the clients still connected, {@value #PROBES} alerts are posted one by one and each
 * is timed from the moment the harness's own read-committed consumer of {@code incidents} sees it
 * (the transaction committed: what the stream can send at the earliest) to each client's receipt:
 * the delay commit → client, p99 over all clients and probes.
 */
final class LiveScenario {
    static final int CLIENTS = 100;
    static final int PROBES = 200;
    private static final String PROBE_PREFIX = "\"alertId\":\"live-probe-";

    record Result(
            long events,
            double perSecondWithout,
            double perSecondWith,
            Latencies delay,
            long eventsPerClient,
            double droppedClients,
            CpuTimes cpuWithout,
            CpuTimes cpuWith,
            double seconds,
            double secondsWith,
            long clientBytes) {
        double ratio() {
            return perSecondWith / perSecondWithout;
        }
    }

    private LiveScenario() {}

    static Result run(final Bench.Sizes sizes, final Path work, final Path jar) throws Exception {
        final long events = sizes.peerEvents();
        final Run without = runOne(sizes, work, jar, events, 0);
        final Run with = runOne(sizes, work, jar, events, CLIENTS);
        return new Result(
                events,
                without.perSecond,
                with.perSecond,
                with.delay,
                with.eventsPerClient,
                with.dropped,
                without.cpu,
                with.cpu,
                without.seconds,
                with.seconds,
                with.clientBytes);
    }

    private record Run(
            double perSecond,
            Latencies delay,
            long eventsPerClient,
            double dropped,
            CpuTimes cpu,
            double seconds,
            long clientBytes) {}

    private static Run runOne(
            final Bench.Sizes sizes, final Path work, final Path jar, final long events, final int clients)
            throws Exception {
        final String name = "live-" + clients;
        final Map<String, String> env = new HashMap<>(Bench.envList(sizes.appEnv()));
        env.put("APPLICATION_ID", "bench-" + name);
        try (BenchBroker broker = BenchBroker.start(work.resolve("kafka-" + name), Bench.PARTITIONS)) {
            env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
            broker.createAppTopics(Config.from(env));
            final AlertSet set = AlertSet.ingest(
                    events,
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1)),
                    Duration.ofHours(4));
            // --profile true: a JFR recording of the app in each run (work/live-0.jfr, work/live-100.jfr)
            final List<String> jvmArgs = sizes.profile()
                    ? List.of("-XX:StartFlightRecording=filename="
                            + work.resolve(name + ".jfr").toAbsolutePath() + ",settings=profile,dumponexit=true")
                    : List.of();
            try (AppProcess app = AppProcess.start(
                            jar,
                            sizes.appXmx(),
                            jvmArgs,
                            broker.bootstrapServers(),
                            work.resolve("app-" + name),
                            env,
                            work.resolve("app-" + name + ".log"));
                    StreamClients readers = new StreamClients(app.port(), clients)) {
                app.awaitReady(Duration.ofMinutes(5));
                readers.connect();
                // a tenth first, applied before timing: the fresh broker's first transactions are slow
                // (CONCURRENT_TRANSACTIONS retries while the coordinator settles) and would dominate
                final long warmup = events / 10;
                broker.produce(Topics.ALERTS, warmup, set::event);
                app.awaitConsumed(warmup, Duration.ofMinutes(5));
                final long started = System.nanoTime();
                final CpuTimes cpuStart = CpuTimes.now(app.pid(), readers.threads());
                final long bytesStart = readers.bytes();
                final Thread producer =
                        new Thread(() -> broker.produce(Topics.ALERTS, events - warmup, i -> set.event(warmup + i)));
                producer.start();
                app.awaitConsumed(events, Duration.ofMinutes(20));
                final double seconds = (System.nanoTime() - started) / 1e9;
                final CpuTimes cpu = CpuTimes.now(app.pid(), readers.threads()).since(cpuStart);
                final long clientBytes = readers.bytes() - bytesStart;
                final double perSecond = (events - warmup) / seconds;
                producer.join();
                Bench.log(
                        "live: %d clients, ingest %,.0f events/s; CPU over the %.1f s: app %.1f s (%.1f s of it in the kernel), harness %.1f s (of"
                                + " which the stream clients' thread %.1f s; %,.0f MB read), whole machine %.1f s",
                        clients,
                        perSecond,
                        seconds,
                        cpu.appSeconds(),
                        cpu.appSystemSeconds(),
                        cpu.harnessSeconds(),
                        cpu.threadSeconds(),
                        clientBytes / 1e6,
                        cpu.machineBusySeconds());
                if (clients == 0) {
                    return new Run(perSecond, new Latencies(), 0, 0, cpu, seconds, 0);
                }
                final Latencies delay = probe(app, broker.bootstrapServers(), readers);
                final double dropped = app.metric("incidents_stream_clients_dropped_total");
                Bench.log(
                        "live: delay commit -> client %s; %,d events per client; %.0f drops of a too slow client, %d reconnects",
                        delay, readers.minEvents(), dropped, readers.reconnects());
                return new Run(perSecond, delay, readers.minEvents(), dropped, cpu, seconds, clientBytes);
            }
        }
    }

    /** Posts the probes one by one and times each from its commit (seen by a read-committed consumer) to every client. */
    private static Latencies probe(final AppProcess app, final String bootstrap, final StreamClients readers)
            throws Exception {
        final Map<String, Long> committed = new ConcurrentHashMap<>();
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            final List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(Topics.INCIDENTS)
                    .forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            readers.probing(true);
            final Instant now = Instant.now();
            for (int i = 0; i < PROBES; i++) {
                final String alert = "{\"alertId\":\"live-probe-" + i + "\",\"status\":\"FIRING\",\"checkedAt\":\""
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
            readers.awaitProbes(PROBES, Duration.ofSeconds(30));
        }
        final Latencies delay = new Latencies();
        readers.received().forEach((key, at) -> {
            final Long commit = committed.get(key.substring(key.indexOf('/') + 1));
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
}
