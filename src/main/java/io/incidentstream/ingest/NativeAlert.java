package io.incidentstream.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.incidentstream.codec.Json;
import io.incidentstream.errors.InvalidAlertException;
import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.AlertStatus;
import io.incidentstream.model.Bounds;
import io.incidentstream.model.Severity;
import java.time.Instant;
import java.util.Map;

/**
 * A native alert document (the JSON of {@code POST /alerts}) that an adapter fills in from a foreign
 * payload. {@link #decode} runs it through the one {@link AlertDecoder}, so events from every
 * adapter are validated, defaulted and keyed exactly like native alerts and like records read from
 * the {@code alerts} topic: there is one set of rules, not one per format.
 *
 * <p>Titles and descriptions are cut to the decoder's limits here (a long summary is no reason to
 * lose an alert); everything else that breaks a limit is rejected by the decoder.
 */
final class NativeAlert {
    private final ObjectNode node = Json.mapper().createObjectNode();

    NativeAlert alertId(final String alertId) {
        node.put("alertId", alertId);
        return this;
    }

    NativeAlert status(final AlertStatus status) {
        node.put("status", status.json());
        return this;
    }

    NativeAlert checkedAt(final Instant at) {
        node.put("checkedAt", at.toString());
        return this;
    }

    /** Null leaves {@code validUntil} to the decoder: {@code checkedAt + INCIDENT_TTL}. */
    NativeAlert validUntil(final Instant at) {
        if (at != null) {
            node.put("validUntil", at.toString());
        }
        return this;
    }

    NativeAlert severity(final Severity severity) {
        node.put("severity", severity.json());
        return this;
    }

    /** Null leaves the template to the decoder, which then uses the {@code alertId}. */
    NativeAlert alertTemplateId(final String templateId) {
        if (templateId != null && !templateId.isBlank()) {
            node.put("alertTemplateId", templateId);
        }
        return this;
    }

    NativeAlert title(final String title) {
        if (title != null && !title.isBlank()) {
            node.put("title", Bounds.cut(title, Bounds.MAX_TITLE_CHARS));
        }
        return this;
    }

    NativeAlert description(final String description) {
        if (description != null && !description.isBlank()) {
            node.put("description", Bounds.cut(description, Bounds.MAX_TEXT_CHARS, Bounds.MAX_TEXT_BYTES));
        }
        return this;
    }

    NativeAlert labels(final Map<String, String> labels) {
        final ObjectNode target = node.putObject("labels");
        labels.forEach(target::put);
        return this;
    }

    NativeAlert reportData(final JsonNode reportData) {
        node.set("reportData", reportData);
        return this;
    }

    /**
     * Validates the document as a native alert and bounds it as the topic will: at most
     * {@link AlertDecoder#MAX_ALERT_BYTES} once serialised, so nothing accepted here can be
     * dead-lettered later for its size.
     *
     * @param where the item's place in the foreign payload, prefixed to any error ({@code alerts[3]})
     */
    AlertEvent decode(final AlertDecoder decoder, final String where) {
        try {
            return decoder.decodeForTopic(node);
        } catch (InvalidAlertException e) {
            throw where.isEmpty() ? e : e.at(where);
        }
    }
}
