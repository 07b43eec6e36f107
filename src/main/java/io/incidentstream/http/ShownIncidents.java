package io.incidentstream.http;

import com.fasterxml.jackson.core.JsonProcessingException;
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
    private static final String NOT_SILENCED = "\"silenced\":false,\"silencedBy\":[]}";

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

    /**
     * {@link #shown} for an incident already written as JSON (a live-stream change, serialised once for
     * every client): the two fields are appended to it rather than the incident written again.
     */
    String shownJson(final Incident incident, final String json) {
        final List<String> by = silences.silencedBy(incident.tenantId(), SilenceLabels.of(incident), now());
        final int end = json.lastIndexOf('}');
        final String head = json.substring(0, end).stripTrailing();
        final String comma = head.endsWith("{") ? "" : ",";
        if (by.isEmpty()) {
            return head + comma + NOT_SILENCED;
        }
        try {
            return head + comma + "\"silenced\":true,\"silencedBy\":"
                    + Json.mapper().writeValueAsString(by) + "}";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write silence ids", e);
        }
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
