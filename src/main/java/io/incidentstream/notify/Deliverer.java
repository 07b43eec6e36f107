package io.incidentstream.notify;

import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the attempts. Each subscription has its own bounded queue, drained by one thread at a time
 * in order, so a slow or dead receiver delays only its own deliveries and one incident's
 * notifications reach a receiver in the order they happened. A delivery that finds its queue full is
 * not dropped: it goes to the retry topic, due {@link #SPILL_DELAY} later. After an attempt:
 * <ul>
 *   <li>2xx: delivered;</li>
 *   <li>timeout, connection error, 429, 5xx: to the retry topic, due by the {@link RetrySchedule}
 *       (or {@code Retry-After}), until 24 h have passed (then exhausted);</li>
 *   <li>410 Gone: the subscription is disabled;</li>
 *   <li>any other 4xx, or a refused address: dropped, and logged.</li>
 * </ul>
 * A later notification of an incident may overtake one that is being retried; each carries the
 * transition's {@code timestamp} and the incident's {@code updatedAt}, by which a receiver orders them.
 */
final class Deliverer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Deliverer.class);
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final Duration SPILL_DELAY = Duration.ofSeconds(5);

    private final SubscriptionStore subscriptions;
    private final Suppression suppression;
    private final AddressPolicy addresses;
    private final WebhookSender sender;
    private final RetrySchedule schedule;
    private final RetryQueue retries;
    private final DeliveryLog log;
    private final Clock clock;
    private final int queueCapacity;
    private final ExecutorService pool;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicInteger queued = new AtomicInteger();
    private WebhookMetrics metrics;

    Deliverer(
            final SubscriptionStore subscriptions,
            final Suppression suppression,
            final AddressPolicy addresses,
            final WebhookSender sender,
            final RetrySchedule schedule,
            final RetryQueue retries,
            final DeliveryLog log,
            final Clock clock,
            final int queueCapacity,
            final ExecutorService pool) {
        this.subscriptions = subscriptions;
        this.suppression = suppression;
        this.addresses = addresses;
        this.sender = sender;
        this.schedule = schedule;
        this.retries = retries;
        this.log = log;
        this.clock = clock;
        this.queueCapacity = queueCapacity;
        this.pool = pool;
    }

    void metrics(final WebhookMetrics m) {
        this.metrics = m;
    }

    int queued() {
        return queued.get();
    }

    /** Queues the delivery; {@code done} runs once it has ended or is durably on the retry topic. Never blocks. */
    void submit(final Delivery delivery, final Runnable done) {
        final Lane lane = lanes.computeIfAbsent(delivery.subscriptionKey(), k -> new Lane());
        if (!lane.offer(new Job(delivery, done, System.nanoTime()))) {
            metrics.outcome("spilled");
            retries.schedule(
                    delivery.retryAt(
                            delivery.attempts(),
                            delivery.firstAttemptAt(),
                            clock.instant().plus(SPILL_DELAY)),
                    done);
        }
    }

    private record Job(Delivery delivery, Runnable done, long queuedAt) {}

    /** One subscription's queue; at most one thread drains it at a time. */
    private final class Lane {
        private final ArrayDeque<Job> jobs = new ArrayDeque<>();
        private boolean draining;

        synchronized boolean offer(final Job job) {
            if (jobs.size() >= queueCapacity) {
                return false;
            }
            jobs.addLast(job);
            queued.incrementAndGet();
            if (!draining) {
                draining = true;
                pool.execute(this::drain);
            }
            return true;
        }

        private synchronized Job next() {
            final Job job = jobs.pollFirst();
            if (job == null) {
                draining = false;
            } else {
                queued.decrementAndGet();
            }
            return job;
        }

        private void drain() {
            for (Job job = next(); job != null; job = next()) {
                metrics.queued(Duration.ofNanos(System.nanoTime() - job.queuedAt()));
                try {
                    attempt(job.delivery(), job.done());
                } catch (RuntimeException e) {
                    LOG.error(
                            "Webhook delivery {} failed unexpectedly; it stays unacknowledged and is sent again after a restart",
                            job.delivery().deliveryId(),
                            e);
                }
            }
        }
    }

    private void attempt(final Delivery d, final Runnable done) {
        final Optional<WebhookSubscription> found = subscriptions.get(d.tenantId(), d.subscriptionId());
        if (found.isEmpty() || !found.get().enabled()) {
            end(d, done, "gone", null, null, "the subscription was deleted or disabled");
            return;
        }
        final WebhookSubscription sub = found.get();
        final Instant now = clock.instant();
        if (suppression.suppressed(d.tenantId(), d.incident(), now)) {
            end(d, done, "suppressed", null, null, null);
            return;
        }
        final Instant first = d.firstAttemptAt() != null ? d.firstAttemptAt() : now;
        final int attempts = d.attempts() + 1;
        final byte[] body = Payloads.body(sub.format(), d);
        final long started = System.nanoTime();
        try {
            final URI url = URI.create(sub.url());
            final InetAddress address = addresses.resolve(url);
            final WebhookSender.Response r = sender.post(url, address, headers(sub, d, now, body), body, TIMEOUT);
            final Duration took = Duration.ofNanos(System.nanoTime() - started);
            final int s = r.status();
            if (s >= 200 && s < 300) {
                metrics.attempt("success", took);
                metrics.delivered(Duration.between(d.committedAt(), clock.instant()));
                logEntry(sub, d, "delivered", attempts, first, now, s, took, null, null);
                metrics.outcome("delivered");
                done.run();
            } else if (s == 429 || s >= 500) {
                metrics.attempt("retryable", took);
                retry(sub, d, done, attempts, first, now, s, took, "HTTP " + s, retryAfter(r.retryAfter(), now));
            } else if (s == 410) {
                metrics.attempt("failed", took);
                LOG.warn("Webhook subscription {} disabled: its receiver answered 410 Gone", sub.key());
                subscriptions.put(sub.disabled("receiver answered 410 Gone at " + now, clock.instant()));
                logEntry(
                        sub,
                        d,
                        "disabled",
                        attempts,
                        first,
                        now,
                        s,
                        took,
                        "HTTP 410 Gone: subscription disabled",
                        null);
                metrics.outcome("disabled");
                done.run();
            } else {
                metrics.attempt("failed", took);
                LOG.warn(
                        "Webhook delivery {} to subscription {} dropped: the receiver answered {}",
                        d.deliveryId(),
                        sub.key(),
                        s);
                logEntry(sub, d, "dropped", attempts, first, now, s, took, "HTTP " + s + ": not retried", null);
                metrics.outcome("dropped");
                done.run();
            }
        } catch (AddressPolicy.RefusedException e) {
            LOG.warn("Webhook delivery {} to subscription {} refused: {}", d.deliveryId(), sub.key(), e.getMessage());
            logEntry(sub, d, "refused", attempts, first, now, null, null, e.getMessage(), null);
            metrics.outcome("refused");
            done.run();
        } catch (java.io.IOException | IllegalArgumentException e) {
            final Duration took = Duration.ofNanos(System.nanoTime() - started);
            metrics.attempt("retryable", took);
            retry(sub, d, done, attempts, first, now, null, took, describe(e), null);
        }
    }

    private void retry(
            final WebhookSubscription sub,
            final Delivery d,
            final Runnable done,
            final int attempts,
            final Instant first,
            final Instant now,
            final Integer status,
            final Duration took,
            final String error,
            final Duration retryAfter) {
        final Optional<Instant> due = schedule.next(attempts, first, clock.instant(), retryAfter);
        if (due.isEmpty()) {
            LOG.warn(
                    "Webhook delivery {} to subscription {} given up after {} attempts: {}",
                    d.deliveryId(),
                    sub.key(),
                    attempts,
                    error);
            logEntry(sub, d, "failed", attempts, first, now, status, took, error + "; given up", null);
            metrics.outcome("exhausted");
            done.run();
            return;
        }
        logEntry(sub, d, "retrying", attempts, first, now, status, took, error, due.get());
        metrics.outcome("retry");
        retries.schedule(d.retryAt(attempts, first, due.get()), done);
    }

    private void end(
            final Delivery d,
            final Runnable done,
            final String outcome,
            final Integer status,
            final Duration took,
            final String error) {
        subscriptions
                .get(d.tenantId(), d.subscriptionId())
                .ifPresent(sub -> logEntry(
                        sub, d, outcome, d.attempts(), d.firstAttemptAt(), clock.instant(), status, took, error, null));
        metrics.outcome(outcome);
        done.run();
    }

    /** Standard Webhooks headers, one signature per valid secret; the body HMAC once per secret too, newest first. */
    static Map<String, List<String>> headers(
            final WebhookSubscription sub, final Delivery d, final Instant now, final byte[] body) {
        final long timestamp = now.getEpochSecond();
        final List<String> secrets = sub.signingSecrets(now);
        final Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("webhook-id", List.of(d.webhookId()));
        h.put("webhook-timestamp", List.of(Long.toString(timestamp)));
        h.put(
                "webhook-signature",
                List.of(String.join(
                        " ",
                        secrets.stream()
                                .map(s -> Signatures.standard(s, d.webhookId(), timestamp, body))
                                .toList())));
        h.put(
                "X-Incident-Signature-256",
                secrets.stream().map(s -> Signatures.github(s, body)).toList());
        h.put("X-Incident-Event", List.of("incident." + d.type()));
        return h;
    }

    private void logEntry(
            final WebhookSubscription sub,
            final Delivery d,
            final String status,
            final int attempts,
            final Instant first,
            final Instant at,
            final Integer code,
            final Duration took,
            final String error,
            final Instant nextAt) {
        log.record(
                sub.key(),
                new DeliveryLog.Entry(
                        d.deliveryId(),
                        d.webhookId(),
                        "incident." + d.type(),
                        d.incident() == null ? null : d.incident().id(),
                        status,
                        attempts,
                        code,
                        took == null ? null : took.toMillis(),
                        error,
                        first,
                        at,
                        nextAt,
                        d));
    }

    /** {@code Retry-After} in seconds or as an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(final String value, final Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            try {
                final Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
            } catch (java.time.format.DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static String describe(final Exception e) {
        if (e instanceof java.net.SocketTimeoutException) {
            return "timed out after " + TIMEOUT.toSeconds() + " s";
        }
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (e instanceof java.net.UnknownHostException) {
            return "unknown host";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    @Override
    public void close() {
        pool.shutdownNow();
        sender.close();
    }
}
