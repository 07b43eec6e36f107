package io.incidentstream.ingest;

import io.incidentstream.model.Severity;
import java.util.Locale;
import java.util.Map;

/**
 * Maps the free-form {@code severity} label of Prometheus alerting rules onto our four severities.
 * Rules in the wild use syslog levels, ticket priorities and house words; the common ones are listed.
 * An absent or unrecognised value is {@code medium} (the native default) rather than an error: a
 * rule author's spelling must never make an alert disappear, and the original value stays in the
 * incident's labels.
 */
final class SeverityLabels {
    private static final Map<String, Severity> NAMES = Map.ofEntries(
            Map.entry("critical", Severity.CRITICAL),
            Map.entry("crit", Severity.CRITICAL),
            Map.entry("page", Severity.CRITICAL),
            Map.entry("emergency", Severity.CRITICAL),
            Map.entry("emerg", Severity.CRITICAL),
            Map.entry("alert", Severity.CRITICAL),
            Map.entry("fatal", Severity.CRITICAL),
            Map.entry("disaster", Severity.CRITICAL),
            Map.entry("p1", Severity.CRITICAL),
            Map.entry("sev1", Severity.CRITICAL),
            Map.entry("error", Severity.HIGH),
            Map.entry("err", Severity.HIGH),
            Map.entry("high", Severity.HIGH),
            Map.entry("major", Severity.HIGH),
            Map.entry("p2", Severity.HIGH),
            Map.entry("sev2", Severity.HIGH),
            Map.entry("warning", Severity.MEDIUM),
            Map.entry("warn", Severity.MEDIUM),
            Map.entry("medium", Severity.MEDIUM),
            Map.entry("minor", Severity.MEDIUM),
            Map.entry("moderate", Severity.MEDIUM),
            Map.entry("average", Severity.MEDIUM),
            Map.entry("p3", Severity.MEDIUM),
            Map.entry("sev3", Severity.MEDIUM),
            Map.entry("info", Severity.LOW),
            Map.entry("informational", Severity.LOW),
            Map.entry("low", Severity.LOW),
            Map.entry("none", Severity.LOW),
            Map.entry("notice", Severity.LOW),
            Map.entry("debug", Severity.LOW),
            Map.entry("ok", Severity.LOW),
            Map.entry("p4", Severity.LOW),
            Map.entry("p5", Severity.LOW),
            Map.entry("sev4", Severity.LOW),
            Map.entry("sev5", Severity.LOW));

    private SeverityLabels() {}

    static Severity fromLabel(final String value) {
        if (value == null) {
            return Severity.MEDIUM;
        }
        return NAMES.getOrDefault(value.trim().toLowerCase(Locale.ROOT), Severity.MEDIUM);
    }
}
