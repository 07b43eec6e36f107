package io.incidentstream.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * The benchmark's alert events, generated deterministically (no randomness: every run and every
 * scenario sees the same events) so they never have to be held in memory.
 *
 * <p>{@link #ingest}: {@code events} events over {@code events / 10} distinct alerts, in ten rounds a
 * minute apart; each round sends every alert once, in a different order (a permutation per round).
 * One event in ten is RESOLVED (the next FIRING, a minute later, reopens within the flap window);
 * one in fifty carries a {@code checkedAt} older than the alert's previous event (late, out of
 * order). Each event is about 400 bytes of native JSON with a title, labels and reportData.
 *
 * <p>{@link #distinct}: {@code n} alerts, one FIRING each, so {@code n} incidents; 1% are
 * {@code critical}, which is what the filtered list page asks for.
 */
public final class AlertSet {
    /** Tenant of every generated alert (the default one, as an unauthenticated producer sends). */
    public static final String TENANT = "default";
    /** Out-of-order events: one in this many. */
    static final int OUT_OF_ORDER_EVERY = 50;
    /** RESOLVED events: one in this many. */
    static final int RESOLVED_EVERY = 10;
    /** Coprime to every distinct count we use (which are multiples of 2 and 5), so {@code j * STRIDE % d} permutes. */
    private static final long STRIDE = 7919;

    private static final String[] SEVERITIES = {
        "high", "medium", "medium", "low", "low", "medium", "high", "low", "medium", "low"
    };
    private static final String[] SERVICES = {
        "checkout", "payments", "search", "catalog", "auth", "billing", "shipping", "mail"
    };
    private static final String[] REGIONS = {"eu-west-1", "us-east-1", "ap-south-1"};

    private final long events;
    private final long distinct;
    private final Instant base;
    private final Duration validFor;

    private AlertSet(final long events, final long distinct, final Instant base, final Duration validFor) {
        this.events = events;
        this.distinct = distinct;
        this.base = base;
        this.validFor = validFor;
    }

    /**
     * {@code events} events over {@code events / 10} distinct alerts, in ten rounds a minute apart.
     *
     * @param base     checkedAt of the first round
     * @param validFor validUntil = checkedAt + this (long enough that nothing expires during a run)
     */
    public static AlertSet ingest(final long events, final Instant base, final Duration validFor) {
        if (events < 10 || events % 10 != 0) {
            throw new IllegalArgumentException("events must be a positive multiple of 10: " + events);
        }
        if (java.math.BigInteger.valueOf(events / 10)
                        .gcd(java.math.BigInteger.valueOf(STRIDE))
                        .intValue()
                != 1) {
            throw new IllegalArgumentException("events / 10 must not be a multiple of " + STRIDE);
        }
        return new AlertSet(events, events / 10, base, validFor);
    }

    /** {@code n} distinct alerts, one FIRING each, {@code checkedAt} 10 ms apart from {@code base}. */
    public static AlertSet distinct(final long n, final Instant base, final Duration validFor) {
        return new AlertSet(n, n, base, validFor);
    }

    public long size() {
        return events;
    }

    public long distinctAlerts() {
        return distinct;
    }

    /** The i-th event. */
    public Event event(final long i) {
        if (i < 0 || i >= events) {
            throw new IndexOutOfBoundsException(i);
        }
        if (distinct == events) {
            final String severity = i % 100 == 0 ? "critical" : SEVERITIES[(int) (i % SEVERITIES.length)];
            return new Event(i, "FIRING", base.plusMillis(i * 10), severity);
        }
        final long round = i / distinct;
        final long alert = (i % distinct * STRIDE + round * 104_729) % distinct;
        final long mix = mix(i);
        final boolean late = round > 0 && mix % OUT_OF_ORDER_EVERY == 0;
        final boolean resolved = !late && mix / OUT_OF_ORDER_EVERY % RESOLVED_EVERY == 0;
        final long secondInRound = alert % 60;
        final Instant checkedAt = late
                ? base.plusSeconds((round - 1) * 60 + secondInRound - 1)
                : base.plusSeconds(round * 60 + secondInRound);
        final String severity = alert % 100 == 0 ? "critical" : SEVERITIES[(int) (alert % SEVERITIES.length)];
        return new Event(alert, resolved ? "RESOLVED" : "FIRING", checkedAt, severity);
    }

    /** One generated event of alert number {@code alert}. */
    public final class Event {
        private final long alert;
        private final String status;
        private final Instant checkedAt;
        private final String severity;

        Event(final long alert, final String status, final Instant checkedAt, final String severity) {
            this.alert = alert;
            this.status = status;
            this.checkedAt = checkedAt;
            this.severity = severity;
        }

        public String alertId() {
            return "host-" + alert / 8 + "-" + service() + "-check";
        }

        public String status() {
            return status;
        }

        public Instant checkedAt() {
            return checkedAt;
        }

        public String severity() {
            return severity;
        }

        public Instant validUntil() {
            return checkedAt.plus(validFor);
        }

        private String service() {
            return SERVICES[(int) (alert % SERVICES.length)];
        }

        private String region() {
            return REGIONS[(int) (alert % REGIONS.length)];
        }

        /** One of 100: what the list scenario's label pages select (1% each). */
        private String cell() {
            return "cell-" + alert % 100;
        }

        private String title() {
            return service() + " p99 latency high on host-" + alert / 8;
        }

        private long value() {
            return 90 + (alert * 31 + checkedAt.getEpochSecond()) % 10;
        }

        /** The Kafka record key producers use: {@code tenantId/alertId}. */
        public byte[] key() {
            return (TENANT + "/" + alertId()).getBytes(StandardCharsets.UTF_8);
        }

        /** Native alert JSON, as sent to topic {@code alerts} or {@code POST /alerts}. */
        public String nativeJson() {
            return nativeJson(validUntil());
        }

        /** Native alert JSON with another {@code validUntil}. */
        public String nativeJson(final Instant validUntil) {
            return "{\"alertId\":\"" + alertId() + "\",\"alertVersion\":1,\"alertTemplateId\":\"" + service()
                    + "-latency\""
                    + ",\"tenantId\":\"" + TENANT + "\",\"status\":\"" + status + "\",\"severity\":\"" + severity + "\""
                    + ",\"checkedAt\":\"" + checkedAt + "\",\"validUntil\":\"" + validUntil + "\""
                    + ",\"title\":\"" + title() + "\""
                    + ",\"reportData\":{\"value\":" + value() + ",\"threshold\":90,\"unit\":\"ms\"}"
                    + ",\"labels\":{\"host\":\"host-" + alert / 8 + "\",\"service\":\"" + service() + "\",\"region\":\""
                    + region()
                    + "\",\"team\":\"team-" + alert % 12 + "\",\"cell\":\"" + cell() + "\"}}";
        }

        /**
         * The same event as an Alertmanager API v2 postable alert: labels identify it (its
         * fingerprint), startsAt/endsAt carry checkedAt/validUntil; a RESOLVED event ends at checkedAt.
         */
        public String alertmanagerJson() {
            final Instant endsAt = "RESOLVED".equals(status) ? checkedAt : validUntil();
            return "{\"labels\":{\"alertname\":\"" + alertId() + "\",\"severity\":\"" + severity + "\",\"host\":\"host-"
                    + alert / 8
                    + "\",\"service\":\"" + service() + "\",\"region\":\"" + region() + "\",\"team\":\"team-"
                    + alert % 12 + "\"}"
                    + ",\"annotations\":{\"summary\":\"" + title() + "\",\"value\":\"" + value() + "\"}"
                    + ",\"startsAt\":\"" + checkedAt + "\",\"endsAt\":\"" + endsAt + "\""
                    + ",\"generatorURL\":\"http://prometheus.local/graph?g0.expr=latency_p99\"}";
        }
    }

    /** A cheap, well-spread hash of the event number (SplitMix64's finaliser), non-negative. */
    private static long mix(final long i) {
        long z = i + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) >>> 1;
    }
}
