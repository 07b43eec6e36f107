package io.incidentstream.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.codec.Json;
import io.incidentstream.errors.BadRequestException;
import io.incidentstream.errors.InvalidAlertException;
import io.incidentstream.ingest.AlertDecoder;
import io.incidentstream.ingest.AlertSink;
import io.incidentstream.ingest.EncodedAlert;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /alerts}: one native alert or an array. The whole batch is validated before anything
 * is produced, so a 400 means nothing of the batch was stored; a 202 means the broker has all of it.
 */
final class AlertController {
    private final AlertDecoder decoder;
    private final AlertSink sink;

    AlertController(final AlertDecoder decoder, final AlertSink sink) {
        this.decoder = decoder;
        this.sink = sink;
    }

    void post(final Context ctx) {
        final JsonNode body = parse(ctx.bodyAsBytes());
        final List<EncodedAlert> alerts = new ArrayList<>();
        if (body.isArray()) {
            if (body.isEmpty()) {
                throw new BadRequestException("the alert array is empty");
            }
            for (int i = 0; i < body.size(); i++) {
                alerts.add(decode(ctx, body.get(i), "alerts[" + i + "]"));
            }
        } else {
            alerts.add(decode(ctx, body, "alert"));
        }
        sink.publishEncoded(alerts);
        ctx.status(202).json(Map.of("accepted", alerts.size()));
    }

    /**
     * Decodes one item, binds it to the caller's tenant ({@link Tenants#ingest}) and serialises it
     * once, as it will be produced (the size bound applies to those bytes); nothing is produced before
     * all pass.
     */
    private EncodedAlert decode(final Context ctx, final JsonNode node, final String where) {
        try {
            return EncodedAlert.of(Tenants.ingest(ctx, decoder.decode(node), node.hasNonNull("tenantId")));
        } catch (InvalidAlertException e) {
            throw e.at(where);
        }
    }

    private static JsonNode parse(final byte[] body) {
        if (body.length == 0) {
            throw new BadRequestException("the request body is empty; send an alert object or an array of them");
        }
        try {
            return Json.mapper().readTree(body);
        } catch (JacksonException e) {
            throw new BadRequestException("the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRequestException("the request body could not be read");
        }
    }
}
