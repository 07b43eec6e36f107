package io.incidentstream.http;

import io.incidentstream.model.AlertEvent;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;

/**
 * The caller's tenant and identity. {@link AuthFilter} puts the token's tenant, subject and admin flag
 * on the context and this is the one place that reads them; with auth off (no token file) every caller
 * is the default tenant, acting as {@value #ANONYMOUS}.
 */
final class Tenants {
    static final String ATTRIBUTE = "incident-stream.tenant";

    private Tenants() {}

    static final String ACTOR_ATTRIBUTE = "incident-stream.actor";
    static final String ADMIN_ATTRIBUTE = "incident-stream.admin";
    static final String ANONYMOUS = "anonymous";

    static String of(final Context ctx) {
        final String tenant = ctx.attribute(ATTRIBUTE);
        return tenant != null ? tenant : AlertEvent.DEFAULT_TENANT;
    }

    /** Who is acting, for timeline entries: the token's subject once auth exists. */
    static String actor(final Context ctx) {
        final String actor = ctx.attribute(ACTOR_ATTRIBUTE);
        return actor != null ? actor : ANONYMOUS;
    }

    /**
     * The tenant an ingested alert belongs to. With a token: the token's tenant; a body that names
     * another {@code tenantId} is refused (403) unless the token is {@code admin}. With auth off the
     * event keeps what it says (callers on loopback are trusted, as before auth existed).
     *
     * @param bodyNamesTenant whether the sender gave {@code tenantId} itself (adapters never do)
     */
    static AlertEvent ingest(final Context ctx, final AlertEvent event, final boolean bodyNamesTenant) {
        final String tenant = ctx.attribute(ATTRIBUTE);
        if (tenant == null) {
            return event;
        }
        if (!bodyNamesTenant) {
            return event.withTenant(tenant);
        }
        if (event.tenantId().equals(tenant) || Boolean.TRUE.equals(ctx.attribute(ADMIN_ATTRIBUTE))) {
            return event;
        }
        throw new ForbiddenResponse(
                "tenantId " + event.tenantId() + " is not this token's tenant; only an admin token may name another");
    }
}
