package io.incidentstream.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.incidentstream.codec.Json;
import io.incidentstream.model.Incident;

/**
 * The body of a delivery. {@code standard}: {@code {"type": "incident.opened", "timestamp": …,
 * "data": <the incident as the API shows it>}}. {@code slack}: a Slack incoming-webhook message
 * ({@code text} as the fallback and notification line, and blocks), which Mattermost and Rocket.Chat
 * accept too.
 */
final class Payloads {
    private Payloads() {}

    static byte[] body(final String format, final Delivery d) {
        final ObjectNode node = WebhookSubscription.SLACK.equals(format) ? slack(d) : standard(d);
        try {
            return Json.mapper().writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a webhook body", e);
        }
    }

    static ObjectNode standard(final Delivery d) {
        final ObjectNode root = Json.mapper().createObjectNode();
        root.put("type", "incident." + d.type());
        root.put("timestamp", d.timestamp().toString());
        root.set("data", shown(d.incident()));
        if (d.silenceId() != null) {
            root.put("silenceId", d.silenceId());
        }
        return root;
    }

    /**
     * The incident as the API shows it. A notification is sent only when no silence mutes the incident
     * (the deliverer asks just before each attempt), so it is never silenced when sent.
     */
    static ObjectNode shown(final Incident incident) {
        final ObjectNode data = Json.mapper().valueToTree(incident);
        data.put("silenced", false);
        data.putArray("silencedBy");
        return data;
    }

    static ObjectNode slack(final Delivery d) {
        final Incident i = d.incident();
        final String title = i.title() != null ? i.title() : i.alertId() != null ? i.alertId() : i.id();
        final String severity =
                i.severity() == null ? "" : "[" + i.severity().json().toUpperCase(java.util.Locale.ROOT) + "] ";
        final ObjectNode root = Json.mapper().createObjectNode();
        root.put("text", severity + "Incident " + d.type() + ": " + title);
        final ArrayNode blocks = root.putArray("blocks");
        final ObjectNode section = blocks.addObject();
        section.put("type", "section");
        final ObjectNode text = section.putObject("text");
        text.put("type", "mrkdwn");
        text.put(
                "text",
                "*" + escape(severity + "Incident " + d.type() + ": " + title) + "*\nStatus: " + i.status()
                        + (i.severity() == null
                                ? ""
                                : " · Severity: " + i.severity().json())
                        + (i.assignee() == null ? "" : " · Assignee: " + escape(i.assignee())));
        final ObjectNode context = blocks.addObject();
        context.put("type", "context");
        final ObjectNode element = context.putArray("elements").addObject();
        element.put("type", "mrkdwn");
        element.put("text", escape("incident " + i.id() + " · " + d.timestamp()));
        return root;
    }

    /** Slack's three control characters in mrkdwn. */
    private static String escape(final String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
