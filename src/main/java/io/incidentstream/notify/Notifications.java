package io.incidentstream.notify;

import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhook notifications of one instance: the subscription store, the deliverer with its queues, and
 * the two consumers feeding it (incident-events and the retry topic), started together and closed
 * in reverse. {@link #webhooks()} is what the HTTP layer serves.
 */
public final class Notifications implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);

    /** What it needs to run. */
    public record Settings(
            String applicationId,
            String eventsTopic,
            String subscriptionsTopic,
            String retriesTopic,
            boolean allowPrivate,
            int queueCapacity,
            java.util.List<Duration> retryDelays,
            Duration retryFor,
            Duration writeTimeout,
            Duration startTimeout) {}

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private Webhooks webhooks;

    private Notifications() {}

    /** The consumer group delivering incident-events; the retry topic's is this and {@code -retries}. */
    public static String groupId(final String applicationId) {
        return applicationId + "-webhooks";
    }

    public static Notifications start(
            final Map<String, Object> kafka,
            final Settings settings,
            final Suppression suppression,
            final Unsilenced unsilenced,
            final MeterRegistry registry) {
        final Notifications n = new Notifications();
        try {
            n.startAll(kafka, settings, suppression, unsilenced, registry);
            return n;
        } catch (RuntimeException e) {
            n.close();
            throw e;
        }
    }

    private void startAll(
            final Map<String, Object> kafka,
            final Settings settings,
            final Suppression suppression,
            final Unsilenced unsilenced,
            final MeterRegistry registry) {
        final Clock clock = Clock.systemUTC();
        final KafkaSubscriptions store = KafkaSubscriptions.start(
                kafka, settings.subscriptionsTopic(), settings.writeTimeout(), settings.startTimeout());
        resources.push(store);
        final KafkaRetryQueue retries = new KafkaRetryQueue(kafka, settings.retriesTopic());
        resources.push(retries);
        final DeliveryLog log = new DeliveryLog();
        final AddressPolicy addresses = new AddressPolicy(settings.allowPrivate());
        final AtomicInteger threads = new AtomicInteger();
        final ExecutorService pool = Executors.newCachedThreadPool(r -> {
            final Thread t = new Thread(r, "webhook-delivery-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        final SecureRandom random = new SecureRandom();
        final Deliverer deliverer = new Deliverer(
                store,
                suppression,
                addresses,
                new WebhookSender(),
                new RetrySchedule(settings.retryDelays(), settings.retryFor(), random::nextDouble),
                retries,
                log,
                clock,
                settings.queueCapacity(),
                pool);
        deliverer.metrics(new WebhookMetrics(registry, deliverer::queued));
        resources.push(deliverer);
        final EventConsumer events = new EventConsumer(
                consumer(kafka, groupId(settings.applicationId()), "incident-stream-webhook-events"),
                settings.eventsTopic(),
                store,
                deliverer,
                unsilenced,
                clock);
        resources.push(events);
        final RetryConsumer retryConsumer = new RetryConsumer(
                consumer(kafka, groupId(settings.applicationId()) + "-retries", "incident-stream-webhook-retries"),
                settings.retriesTopic(),
                deliverer,
                clock);
        resources.push(retryConsumer);
        events.start();
        retryConsumer.start();
        webhooks = new Webhooks(store, log, retries, addresses, clock);
        LOG.info(
                "Webhook notifications on (receivers on private addresses {})",
                settings.allowPrivate() ? "allowed" : "refused");
    }

    private static KafkaConsumer<String, byte[]> consumer(
            final Map<String, Object> kafka, final String group, final String clientId) {
        final Map<String, Object> p = new HashMap<>(kafka);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // a new group reads from the start: nothing is missed while it forms; a subscription hears only of
        // transitions after its creation, so old ones are not sent to anyone (EventConsumer)
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        // the poll loop never blocks on a receiver, so a short session is safe, and after a crash the
        // restarted (or another) instance takes the partitions over within seconds rather than 45
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    public Webhooks webhooks() {
        return webhooks;
    }

    @Override
    public void close() {
        while (!resources.isEmpty()) {
            final AutoCloseable r = resources.pop();
            try {
                r.close();
            } catch (Exception e) {
                LOG.warn("Error while stopping {}", r.getClass().getSimpleName(), e);
            }
        }
    }
}
