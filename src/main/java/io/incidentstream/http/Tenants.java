package io.incidentstream.http;

import io.incidentstream.model.AlertEvent;
import io.javalin.http.Context;

/**
 * The caller's tenant. Until bearer tokens exist every caller is the default tenant; the auth
 * filter will put the token's tenant on the context and this stays the one place that reads it.
 */
final class Tenants {
    static final String ATTRIBUTE = "incident-stream.tenant";

    private Tenants() {
    }

    static String of(final Context ctx) {
        final String tenant = ctx.attribute(ATTRIBUTE);
        return tenant != null ? tenant : AlertEvent.DEFAULT_TENANT;
    }
}
