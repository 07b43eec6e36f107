package io.incidentstream.auth;

import java.util.Arrays;
import java.util.Optional;

/** What a token may do. {@link #ADMIN} implies every other scope (and ingest for any tenant). */
public enum Scope {
    INCIDENTS_READ("incidents:read"),
    INCIDENTS_WRITE("incidents:write"),
    ALERTS_WRITE("alerts:write"),
    /** Create, update and expire silences ({@code POST /api/v2/silences}, {@code DELETE /api/v2/silence/{id}}). */
    SILENCES_WRITE("silences:write"),
    /** Manage the tenant's webhook subscriptions (their URLs may be credentials, e.g. Slack's). */
    WEBHOOKS_MANAGE("webhooks:manage"),
    ADMIN("admin");

    private final String text;

    Scope(final String text) {
        this.text = text;
    }

    /** The name used in the token file and in error messages. */
    public String text() {
        return text;
    }

    public static Optional<Scope> parse(final String text) {
        return Arrays.stream(values()).filter(s -> s.text.equals(text)).findFirst();
    }
}
