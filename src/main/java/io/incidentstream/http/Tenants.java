package io.incidentstream.http;

import io.incidentstream.model.AlertEvent;
import io.javalin.http.Context;

/**
 * The caller's tenant and identity. Until bearer tokens exist every caller is the default tenant; the auth
 * filter will put the token's tenant on the context and this stays the one place that reads it.
 */
final class Tenants {
    static final String ATTRIBUTE = "incident-stream.tenant";

    private Tenants() {
    }

    static final String ACTOR_ATTRIBUTE = "incident-stream.actor";
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
}
