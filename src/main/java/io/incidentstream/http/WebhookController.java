package io.incidentstream.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.codec.Json;
import io.incidentstream.errors.BadRequestException;
import io.incidentstream.notify.Webhooks;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Map;

/** {@code /webhooks}: HTTP in and out only; {@link Webhooks} does the rest. */
final class WebhookController {
    static final String PATH = "/webhooks";

    private final Webhooks webhooks;

    WebhookController(final Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    void register(final RoutesConfig routes) {
        routes.post(PATH, ctx -> ctx.status(201).json(webhooks.create(Tenants.of(ctx), body(ctx))));
        routes.get(PATH, ctx -> ctx.json(Map.of("data", webhooks.list(Tenants.of(ctx)))));
        routes.get(PATH + "/{id}", ctx -> ctx.json(webhooks.get(Tenants.of(ctx), ctx.pathParam("id"))));
        routes.patch(PATH + "/{id}", ctx -> ctx.json(webhooks.update(Tenants.of(ctx), ctx.pathParam("id"), body(ctx))));
        routes.delete(PATH + "/{id}", this::delete);
        routes.post(
                PATH + "/{id}/rotate-secret",
                ctx -> ctx.json(webhooks.rotateSecret(Tenants.of(ctx), ctx.pathParam("id"))));
        routes.get(
                PATH + "/{id}/deliveries",
                ctx -> ctx.json(Map.of("data", webhooks.deliveries(Tenants.of(ctx), ctx.pathParam("id")))));
        routes.post(
                PATH + "/{id}/deliveries/{deliveryId}/redeliver",
                ctx -> ctx.status(202)
                        .json(webhooks.redeliver(Tenants.of(ctx), ctx.pathParam("id"), ctx.pathParam("deliveryId"))));
    }

    private void delete(final Context ctx) {
        webhooks.delete(Tenants.of(ctx), ctx.pathParam("id"));
        ctx.status(204);
    }

    private static JsonNode body(final Context ctx) {
        final byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            throw new BadRequestException("the request body is empty; send a JSON object");
        }
        try {
            return Json.mapper().readTree(bytes);
        } catch (JacksonException e) {
            throw new BadRequestException("the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRequestException("the request body could not be read");
        }
    }
}
