package io.incidentstream.kafka;

import io.incidentstream.codec.Json;
import io.incidentstream.errors.UnavailableException;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentHeaders;
import io.incidentstream.query.ChangeFeed;
import io.incidentstream.query.FanOut;
import io.incidentstream.query.StreamEvent;
import io.incidentstream.query.StreamPosition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live stream's reader of the incident topic: one consumer per instance, read-committed, assigned
 * every partition (no consumer group, no committed offsets), starting at the end, publishing each
 * record to the {@link FanOut} that serves this instance's clients. A client that reconnects is
 * served what it missed by {@link #replay}, a short-lived consumer of its own, at most
 * {@code maxReplays} of them at once.
 */
public final class KafkaChangeFeed implements ChangeFeed, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaChangeFeed.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REPLAY_SLOT_WAIT = Duration.ofSeconds(5);

    private final KafkaConnection kafka;
    private final String topic;
    private final List<TopicPartition> partitions;
    private final FanOut fanOut;
    private final Semaphore replays;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    private KafkaChangeFeed(
            final KafkaConnection kafka,
            final String topic,
            final int partitionCount,
            final FanOut fanOut,
            final int maxReplays) {
        this.kafka = kafka;
        this.topic = topic;
        this.fanOut = fanOut;
        this.replays = new Semaphore(maxReplays);
        final List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitionCount; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        this.partitions = List.copyOf(tps);
        this.consumer = consumer("incident-stream-live");
        this.thread = new Thread(this::run, "live-stream-feed");
        this.thread.setDaemon(true);
    }

    /** Starts reading {@code topic} at its end, once the broker has told where that is. */
    public static KafkaChangeFeed start(
            final KafkaConnection kafka,
            final String topic,
            final int partitionCount,
            final FanOut fanOut,
            final int maxReplays) {
        final KafkaChangeFeed feed = new KafkaChangeFeed(kafka, topic, partitionCount, fanOut, maxReplays);
        try {
            feed.consumer.assign(feed.partitions);
            feed.consumer.seekToEnd(feed.partitions);
            final long[] next = new long[partitionCount];
            for (TopicPartition tp : feed.partitions) {
                next[tp.partition()] = feed.consumer.position(tp, START_TIMEOUT);
            }
            fanOut.start(StreamPosition.of(next));
        } catch (RuntimeException e) {
            feed.consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
            throw e;
        }
        feed.thread.start();
        return feed;
    }

    private KafkaConsumer<String, byte[]> consumer(final String clientId) {
        final Map<String, Object> p = kafka.properties();
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private void run() {
        try {
            while (running) {
                try {
                    final ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                    // published together: each client's thread wakes once for the poll, not once per record
                    final List<StreamEvent> events = new ArrayList<>(records.count());
                    for (ConsumerRecord<String, byte[]> r : records) {
                        final StreamEvent event = event(r);
                        if (event != null) {
                            events.add(event);
                        }
                    }
                    fanOut.publish(events);
                    // past what was published, and past what was not (unreadable records, transaction markers)
                    for (TopicPartition tp : partitions) {
                        fanOut.advance(tp.partition(), consumer.position(tp, START_TIMEOUT));
                    }
                } catch (OffsetOutOfRangeException e) {
                    // cannot happen while reading at the end; if it does, go on from the log start
                    LOG.warn("Live stream reader out of range ({}); going on from the log start", e.getMessage());
                    consumer.seekToBeginning(e.partitions());
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("Live stream reader woken unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("Live stream reader stopped: live-stream clients get no more changes", e);
        } finally {
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        }
    }

    /** The record as the stream sees it; null when it cannot be read (it is skipped, and logged). */
    @SuppressWarnings("ReferenceEquality") // withoutTimeline() returns the incident itself when it leaves nothing out
    static StreamEvent event(final ConsumerRecord<String, byte[]> r) {
        final Header h = r.headers().lastHeader(IncidentHeaders.TENANT);
        final String headerTenant = h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        if (r.value() == null) {
            return StreamEvent.deleted(r.partition(), r.offset(), r.key(), headerTenant);
        }
        try {
            final Incident whole = Json.mapper().readValue(r.value(), Incident.class);
            // as list pages and the snapshot show it: no timeline, no member alerts (GET /incidents/{id} has
            // them), which were a fifth of the bytes sent to every client; written once for all of them
            final Incident incident = whole.withoutTimeline();
            return new StreamEvent(
                    r.partition(),
                    r.offset(),
                    incident.id(),
                    incident.tenantId(),
                    incident,
                    incident == whole
                            ? new String(r.value(), StandardCharsets.UTF_8)
                            : Json.mapper().writeValueAsString(incident));
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "Skipping unreadable record {}-{}@{} in the live stream: {}",
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    e.toString());
            return null;
        }
    }

    @Override
    public Replay replay(
            final StreamPosition from,
            final StreamPosition to,
            final Consumer<StreamEvent> sink,
            final Duration timeout)
            throws InterruptedException {
        if (!replays.tryAcquire(REPLAY_SLOT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new UnavailableException("too many live-stream clients are catching up at once", REPLAY_SLOT_WAIT);
        }
        try (KafkaConsumer<String, byte[]> reader = consumer("incident-stream-live-replay")) {
            return replay(reader, from, to, sink, timeout);
        } finally {
            replays.release();
        }
    }

    private Replay replay(
            final KafkaConsumer<String, byte[]> reader,
            final StreamPosition from,
            final StreamPosition to,
            final Consumer<StreamEvent> sink,
            final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final Map<TopicPartition, Long> begin = reader.beginningOffsets(partitions, timeout);
        final Map<TopicPartition, Long> wanted = new HashMap<>();
        for (TopicPartition tp : partitions) {
            final long f = from.next(tp.partition());
            final long t = to.next(tp.partition());
            if (f < t) {
                if (f < begin.getOrDefault(tp, 0L)) {
                    return Replay.NOT_RETAINED;
                }
                wanted.put(tp, t);
            }
        }
        if (wanted.isEmpty()) {
            return Replay.COMPLETE;
        }
        reader.assign(wanted.keySet());
        wanted.keySet().forEach(tp -> reader.seek(tp, from.next(tp.partition())));
        while (!wanted.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new UnavailableException(
                        "could not read back the missed changes within " + timeout, Duration.ofSeconds(1));
            }
            final ConsumerRecords<String, byte[]> records;
            try {
                records = reader.poll(POLL);
            } catch (OffsetOutOfRangeException e) {
                return Replay.NOT_RETAINED; // deleted by retention between the check and the read
            }
            for (ConsumerRecord<String, byte[]> r : records) {
                final Long end = wanted.get(new TopicPartition(r.topic(), r.partition()));
                if (end != null && r.offset() < end) {
                    final StreamEvent e = event(r);
                    if (e != null) {
                        sink.accept(e);
                    }
                }
            }
            final List<TopicPartition> done = new ArrayList<>();
            wanted.forEach((tp, end) -> {
                if (reader.position(tp, timeout) >= end) {
                    done.add(tp);
                }
            });
            done.forEach(wanted::remove);
            reader.pause(done);
        }
        return Replay.COMPLETE;
    }

    /** The topic this reads. */
    public String topic() {
        return topic;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
