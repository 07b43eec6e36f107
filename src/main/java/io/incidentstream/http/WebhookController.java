package io.incidentstream.http;

import io.incidentstream.notify.Webhooks;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/** {@code /webhooks}: HTTP in and out only; {@link Webhooks} does the rest. */
final class WebhookController {
    static final String PATH = "/webhooks";

    private final Webhooks webhooks;

    WebhookController(final Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    void register(final RoutesConfig routes) {
        routes.post(PATH, ctx -> ctx.status(201).json(webhooks.create(Tenants.of(ctx), JsonBodies.of(ctx))));
        routes.get(PATH, ctx -> ctx.json(Map.of("data", webhooks.list(Tenants.of(ctx)))));
        routes.get(PATH + "/{id}", ctx -> ctx.json(webhooks.get(Tenants.of(ctx), ctx.pathParam("id"))));
        routes.patch(
                PATH + "/{id}",
                ctx -> ctx.json(webhooks.update(Tenants.of(ctx), ctx.pathParam("id"), JsonBodies.of(ctx))));
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
}
