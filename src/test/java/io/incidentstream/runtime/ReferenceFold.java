package io.incidentstream.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.incidentstream.codec.Json;
import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.AlertKey;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentEvent;
import io.incidentstream.model.Lifecycle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the application should end up with, computed in the test by the pure {@link Lifecycle}
 * over the same events in the same per-alert order: the latest incident per alert key, new ids
 * from a sequence (so ids differ from the application's; incidents are matched by
 * {@link #identity}), and every transition the application must write to {@code incident-events}.
 */
final class ReferenceFold {
    /** The fields compared; {@code id} is not (the sequences differ). */
    static final List<String> FIELDS = List.of(
            "tenantId",
            "alertId",
            "alertVersion",
            "alertTemplateId",
            "status",
            "severity",
            "title",
            "source",
            "createdAt",
            "updatedAt",
            "lastCheckedAt",
            "validUntil",
            "acknowledgedAt",
            "resolvedAt",
            "alertCount");

    private final Lifecycle lifecycle;
    private final Map<AlertKey, Incident> latest = new HashMap<>();
    private final Map<String, Incident> byId = new LinkedHashMap<>();
    private final List<IncidentEvent> transitions = new ArrayList<>();
    private long sequence;

    ReferenceFold(final Duration flapWindow) {
        this.lifecycle = new Lifecycle(flapWindow);
    }

    void apply(final AlertEvent event) {
        record(lifecycle.apply(latest.get(event.key()), event, () -> "ref-" + ++sequence));
    }

    /** The expiry sweep at {@code now}: every open incident whose validUntil has passed expires. */
    void expire(final Instant now) {
        for (Incident incident : List.copyOf(latest.values())) {
            record(lifecycle.expire(incident, now));
        }
    }

    private void record(final Lifecycle.Result result) {
        if (!result.outcome().changed()) {
            return;
        }
        latest.put(result.incident().alertKey(), result.incident());
        byId.put(result.incident().id(), result.incident());
        if (result.transition() != null) {
            transitions.add(IncidentEvent.of(
                    result.incident(), result.outcome().name().toLowerCase(Locale.ROOT), result.transition()));
        }
    }

    /** Every incident ever opened, by {@link #identity}. */
    Map<String, Incident> incidents() {
        final Map<String, Incident> all = new LinkedHashMap<>();
        byId.values()
                .forEach(i -> all.put(
                        identity(i.tenantId(), i.alertId(), i.createdAt().toString()), i));
        return all;
    }

    /** The transitions in {@code incident-events} form, without the incident id. */
    List<String> transitions() {
        return transitions.stream().map(ReferenceFold::withoutId).sorted().toList();
    }

    /** An incident's identity that does not depend on the id sequence: one alert opens at most one incident per checkedAt. */
    static String identity(final JsonNode incident) {
        return identity(
                incident.get("tenantId").asText(),
                incident.get("alertId").asText(),
                incident.get("createdAt").asText());
    }

    private static String identity(final String tenant, final String alertId, final String createdAt) {
        return tenant + "/" + alertId + "@" + createdAt;
    }

    /** The compared fields of an incident as JSON (as the API renders it: same mapper). */
    static JsonNode compared(final Object incident) {
        final JsonNode full =
                incident instanceof JsonNode node ? node : Json.mapper().valueToTree(incident);
        final ObjectNode picked = Json.mapper().createObjectNode();
        FIELDS.forEach(f -> {
            if (full.hasNonNull(f)) {
                picked.set(f, full.get(f));
            }
        });
        return picked;
    }

    /** An {@code incident-events} record's JSON without its incident id, as a comparable string. */
    static String withoutId(final Object event) {
        final ObjectNode node = Json.mapper().valueToTree(event);
        node.remove("incidentId");
        node.remove("incident");
        return node.toString();
    }

    /**
     * Differences between the application's incidents and the reference: missing, unexpected, and
     * every compared field that differs. Empty when they are equal.
     */
    static List<String> diff(final Map<String, Incident> expected, final List<JsonNode> actual) {
        final List<String> problems = new ArrayList<>();
        final Map<String, JsonNode> byIdentity = new HashMap<>();
        for (JsonNode incident : actual) {
            if (byIdentity.put(identity(incident), incident) != null) {
                problems.add("two incidents for " + identity(incident));
            }
        }
        expected.forEach((identity, incident) -> {
            final JsonNode got = byIdentity.remove(identity);
            if (got == null) {
                problems.add("missing " + identity);
            } else if (!compared(got)
                    .toString()
                    .equals(compared(incident).toString())) { // 5 as int or long: the same text
                problems.add(identity + ": expected " + compared(incident) + " got " + compared(got));
            }
        });
        byIdentity.keySet().forEach(identity -> problems.add("unexpected " + identity));
        return problems;
    }
}
