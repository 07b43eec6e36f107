package io.incidentstream.runtime;

import io.incidentstream.codec.Json;
import io.incidentstream.ingest.AlertDecoder;
import io.incidentstream.model.AlertEvent;
import io.incidentstream.topology.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A deterministic (seeded) stream of native alert records for the {@code alerts} topic: a few
 * tenants, FIRING and RESOLVED, re-fires of the same check, out-of-order checks, gaps longer than
 * the flap window (new incident) and shorter (reopen). Every alert keeps one Kafka key for all its
 * events, so the broker keeps them in order: a quarter use a legacy key that is not
 * {@code tenantId/alertId} and go through the re-keying repartition topic, the rest are keyed
 * canonically. {@link #decoded} gives the same events as the application decodes them.
 */
final class AlertScript {
    static final List<String> TENANTS = List.of("acme", "globex", "initech");
    private static final String[] SEVERITIES = {"critical", "high", "medium", "low"};
    private static final String[] TITLES = {"CPU high", "Disk full", "Latency", "Errors up"};

    private final List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    private final List<AlertEvent> decoded = new ArrayList<>();
    private final AlertDecoder decoder;

    private AlertScript(final Duration defaultTtl) {
        this.decoder = new AlertDecoder(defaultTtl);
    }

    /**
     * @param alertsPerTenant distinct alerts per tenant
     * @param events          records in all
     * @param start           checkedAt of every alert's first event
     * @param flapWindow      the application's FLAP_WINDOW: some gaps are shorter, some longer
     */
    static AlertScript steady(
            final long seed,
            final int alertsPerTenant,
            final int events,
            final Instant start,
            final Duration flapWindow,
            final Duration defaultTtl) {
        final Random random = new Random(seed);
        final AlertScript script = new AlertScript(defaultTtl);
        final int alerts = alertsPerTenant * TENANTS.size();
        final Instant[] last = new Instant[alerts];
        java.util.Arrays.fill(last, start);
        for (int n = 0; n < events; n++) {
            final int a = random.nextInt(alerts);
            final int roll = random.nextInt(100);
            final Instant at;
            String status = "FIRING";
            if (roll < 8) {
                at = last[a]; // the same check again: a re-fire, recognised and ignored
            } else if (roll < 16) {
                at = last[a].minusSeconds(1 + random.nextInt(60)); // late: never moves state back
                status = random.nextBoolean() ? "FIRING" : "RESOLVED";
            } else if (roll < 30) {
                at = last[a].plusSeconds(1 + random.nextInt(30));
                status = "RESOLVED";
            } else if (roll < 36) {
                at = last[a].plus(
                        flapWindow.multipliedBy(random.nextBoolean() ? 2 : 1).minusSeconds(random.nextInt(20)));
            } else {
                at = last[a].plusSeconds(1 + random.nextInt(30));
            }
            last[a] = at.isAfter(last[a]) ? at : last[a];
            script.add(a, alertsPerTenant, status, at, random);
        }
        return script;
    }

    /**
     * A stream of FIRING alerts (repeats, late and out-of-order checks among them, as in
     * {@link #steady}), each labelled {@code group=g<n>} with about {@code perGroup} alerts in a
     * group, and nothing resolving or expiring: under a rule grouping by {@code group} each group is
     * one incident whatever order the groups' alerts meet in on their partition.
     */
    static AlertScript grouped(
            final long seed,
            final int alertsPerTenant,
            final int perGroup,
            final int events,
            final Instant start,
            final Duration defaultTtl) {
        final Random random = new Random(seed);
        final AlertScript script = new AlertScript(defaultTtl);
        final int alerts = alertsPerTenant * TENANTS.size();
        final Instant[] last = new Instant[alerts];
        java.util.Arrays.fill(last, start);
        for (int n = 0; n < events; n++) {
            final int a = random.nextInt(alerts);
            final int roll = random.nextInt(100);
            final Instant at = roll < 8
                    ? last[a]
                    : roll < 16
                            ? last[a].minusSeconds(1 + random.nextInt(60))
                            : last[a].plusSeconds(1 + random.nextInt(30));
            last[a] = at.isAfter(last[a]) ? at : last[a];
            final Map<String, Object> alert = base(a, alertsPerTenant, "FIRING", at, random);
            alert.put("labels", Map.of("group", "g" + (a % alertsPerTenant) / perGroup, "n", Integer.toString(a)));
            script.add(a, alert);
        }
        return script;
    }

    /** One FIRING per alert, all valid until a time in {@code [from, from + spread)}, for an expiry sweep. */
    static AlertScript expiring(
            final int alertsPerTenant, final Instant checkedAt, final Instant from, final Duration spread) {
        final AlertScript script = new AlertScript(Duration.ofDays(1));
        final int alerts = alertsPerTenant * TENANTS.size();
        final Random random = new Random(7);
        for (int a = 0; a < alerts; a++) {
            final Map<String, Object> alert = base(a, alertsPerTenant, "FIRING", checkedAt, random);
            alert.put(
                    "validUntil",
                    from.plusMillis(spread.toMillis() * a / alerts).toString());
            script.add(a, alert);
        }
        return script;
    }

    /** An alert of the script that keeps firing and stays ACTIVE: valid for a day. */
    void addLongLived(final int a, final int alertsPerTenant, final Instant checkedAt) {
        final Map<String, Object> alert = base(a, alertsPerTenant, "FIRING", checkedAt, new Random(a));
        alert.put("alertId", "long-lived-" + a);
        alert.put("validUntil", checkedAt.plus(Duration.ofDays(1)).toString());
        add(a, alert);
    }

    private void add(
            final int a, final int alertsPerTenant, final String status, final Instant at, final Random random) {
        final Map<String, Object> alert = base(a, alertsPerTenant, status, at, random);
        if (random.nextInt(4) > 0) {
            alert.put(
                    "validUntil",
                    at.plus(Duration.ofHours(12 + random.nextInt(12))).toString());
        }
        add(a, alert);
    }

    private static Map<String, Object> base(
            final int a, final int alertsPerTenant, final String status, final Instant at, final Random random) {
        final Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("alertId", "alert-" + a % alertsPerTenant);
        alert.put("tenantId", TENANTS.get(a / alertsPerTenant));
        alert.put("status", status);
        alert.put("checkedAt", random.nextBoolean() ? at.toString() : at.toEpochMilli());
        alert.put("severity", SEVERITIES[random.nextInt(SEVERITIES.length)]);
        if (random.nextInt(3) > 0) {
            alert.put("title", TITLES[random.nextInt(TITLES.length)]);
        }
        alert.put("reportData", Map.of("value", random.nextInt(1000)));
        return alert;
    }

    private void add(final int a, final Map<String, Object> alert) {
        final byte[] value;
        try {
            value = Json.mapper().writeValueAsBytes(alert);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        final AlertEvent event = decoder.decode(value);
        final String key = a % 4 == 0
                ? "legacy:" + alert.get("alertId") + "@" + alert.get("tenantId")
                : event.key().asString();
        records.add(new ProducerRecord<>(Topics.ALERTS, key, value));
        decoded.add(event);
    }

    List<ProducerRecord<String, byte[]>> records() {
        return records;
    }

    /** The events as the application decodes them, in production order (per alert: the order it folds them in). */
    List<AlertEvent> decoded() {
        return decoded;
    }
}
