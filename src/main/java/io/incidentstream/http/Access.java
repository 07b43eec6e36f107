package io.incidentstream.http;

import io.javalin.http.Context;

/**
 * Who may call what: a before-handler on every request. {@link #OPEN} is the null object for auth
 * off (no {@code AUTH_TOKENS_FILE}): nothing is checked and every caller acts for the default tenant,
 * which is why the server then binds to loopback. {@link AuthFilter} checks bearer tokens.
 */
interface Access {
    Access OPEN = ctx -> {};

    /** Lets the request through (having put the caller's tenant on the context), or throws the HTTP answer. */
    void check(Context ctx);
}
