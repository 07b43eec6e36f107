package io.incidentstream.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.incidentstream.codec.Json;
import io.incidentstream.model.Incident;
import io.incidentstream.silence.SilenceLabels;
import io.incidentstream.silence.Silences;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * An incident as the API shows it, whichever route answers with it (a get, a list, a write): its
 * fields plus {@code silenced} and {@code silencedBy}, worked out as it is answered, so a silence
 * applies from the moment it exists, to incidents old and new, and stops applying when it ends.
 */
final class ShownIncidents {
    private final Silences silences;
    private final Clock clock;

    ShownIncidents(final Silences silences, final Clock clock) {
        this.silences = silences;
        this.clock = clock;
    }

    Instant now() {
        return clock.instant();
    }

    ObjectNode shown(final Incident incident) {
        return shown(incident, now());
    }

    ObjectNode shown(final Incident incident, final Instant now) {
        final ObjectNode json = Json.mapper().valueToTree(incident);
        final List<String> by = silences.silencedBy(incident.tenantId(), SilenceLabels.of(incident), now);
        json.put("silenced", !by.isEmpty());
        final ArrayNode ids = json.putArray("silencedBy");
        by.forEach(ids::add);
        return json;
    }
}
