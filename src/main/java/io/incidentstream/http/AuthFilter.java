package io.incidentstream.http;

import io.incidentstream.auth.Authenticator;
import io.incidentstream.auth.Principal;
import io.incidentstream.auth.RateLimiter;
import io.incidentstream.auth.Scope;
import io.incidentstream.cluster.PeerProtocol;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UnauthorizedResponse;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The before-handler on every public path: finds the bearer token's principal, counts the request
 * against its rate, checks the scope the route needs, and puts tenant and subject on the context
 * for {@link Tenants}. Unknown paths need a valid token too (so nothing is open by omission).
 * {@code /internal/v1/*} is {@link PeerAuth}'s alone: user tokens never open it.
 *
 * <table>
 *   <caption>scopes</caption>
 *   <tr><td>{@code GET /incidents*}, {@code GET /api/v2/*} (Alertmanager's read side)</td><td>incidents:read</td></tr>
 *   <tr><td>{@code POST, PATCH, DELETE /incidents*}</td><td>incidents:write</td></tr>
 *   <tr><td>{@code POST /api/v2/silences}, {@code DELETE /api/v2/silence/{id}}</td><td>silences:write</td></tr>
 *   <tr><td>{@code POST /alerts}, {@code /alerts/alertmanager}, {@code /api/v2/alerts}, {@code /v2/enqueue}</td><td>alerts:write</td></tr>
 *   <tr><td>{@code /webhooks*}</td><td>webhooks:manage</td></tr>
 *   <tr><td>{@code /health/*}, {@code /openapi.json}, {@code GET /} and {@code GET /console/*} (the console's files, no data)</td><td>open</td></tr>
 *   <tr><td>{@code /metrics}</td><td>open; admin with {@code METRICS_AUTH=true}</td></tr>
 * </table>
 */
final class AuthFilter implements Access {
    private static final String BEARER = "bearer ";
    private static final Set<String> INGEST =
            Set.of("/alerts", "/alerts/alertmanager", "/api/v2/alerts", "/v2/enqueue");

    /** Alertmanager's API v2: its reads show incidents; its one write is an ingest path. */
    private static final String ALERTMANAGER_API = "/api/v2/";

    /** Alertmanager's silences: read with incidents:read, changed with silences:write. */
    private static final String SILENCES = "/api/v2/silences";

    private static final String SILENCE = "/api/v2/silence";

    private final Authenticator auth;

    AuthFilter(final Authenticator auth) {
        this.auth = auth;
    }

    /** What a path needs: nothing (open), any valid token, or one with a scope. */
    private record Need(boolean open, Scope scope) {
        static final Need OPEN = new Need(true, null);
        static final Need ANY_TOKEN = new Need(false, null);
    }

    @Override
    public void check(final Context ctx) {
        final Need need = need(ctx.method().name(), normalise(ctx.path()));
        if (need.open()) {
            return;
        }
        final String address = ctx.ip();
        final RateLimiter.Decision mayTry = auth.mayTry(address);
        if (!mayTry.allowed()) {
            retryAfter(ctx, mayTry);
            throw new HttpResponseException(
                    429, "too many failed authentication attempts from this address; retry later");
        }
        final Principal principal = principal(ctx).orElseThrow(() -> {
            auth.failed(address);
            ctx.header("WWW-Authenticate", "Bearer");
            return new UnauthorizedResponse("a valid bearer token is required");
        });
        final RateLimiter.Decision decision = auth.acquire(principal);
        if (!decision.allowed()) {
            retryAfter(ctx, decision);
            throw new HttpResponseException(429, "rate limit of this token exceeded; retry later");
        }
        if (need.scope() != null && !principal.allows(need.scope())) {
            throw new ForbiddenResponse("this token lacks scope " + need.scope().text());
        }
        ctx.attribute(Tenants.ATTRIBUTE, principal.tenant());
        ctx.attribute(Tenants.ACTOR_ATTRIBUTE, principal.subject());
        ctx.attribute(Tenants.ADMIN_ATTRIBUTE, principal.admin());
    }

    private Need need(final String method, final String path) {
        if (path.startsWith(PeerProtocol.PREFIX + "/") || path.equals(PeerProtocol.PREFIX)) {
            return Need.OPEN; // PeerAuth's before-handler guards these with PEER_TOKEN
        }
        if (path.startsWith("/health/") || path.equals(OpenApiDocument.PATH) || ConsoleAssets.isConsole(method, path)) {
            return Need.OPEN;
        }
        if (path.equals("/metrics")) {
            return auth.metricsAuth() ? new Need(false, Scope.ADMIN) : Need.OPEN;
        }
        if (path.equals("/incidents") || path.startsWith("/incidents/")) {
            return new Need(
                    false,
                    method.equals("GET") || method.equals("HEAD") ? Scope.INCIDENTS_READ : Scope.INCIDENTS_WRITE);
        }
        if (path.equals("/webhooks") || path.startsWith("/webhooks/")) {
            return new Need(false, Scope.WEBHOOKS_MANAGE);
        }
        final boolean read = method.equals("GET") || method.equals("HEAD");
        if (path.equals(GroupingRuleController.PATH) || path.startsWith(GroupingRuleController.PATH + "/")) {
            return new Need(false, read ? Scope.INCIDENTS_READ : Scope.ADMIN);
        }
        if (read && path.startsWith(ALERTMANAGER_API)) {
            return new Need(false, Scope.INCIDENTS_READ);
        }
        if (path.equals(SILENCES) || path.startsWith(SILENCE + "/")) {
            return new Need(false, Scope.SILENCES_WRITE);
        }
        if (INGEST.contains(path)) {
            return new Need(false, Scope.ALERTS_WRITE);
        }
        return Need.ANY_TOKEN;
    }

    private static void retryAfter(final Context ctx, final RateLimiter.Decision decision) {
        ctx.header(
                "Retry-After", Long.toString(Math.max(1, (decision.retryAfter().toMillis() + 999) / 1000)));
    }

    /** Javalin ignores trailing slashes when routing, so the filter must too. */
    private static String normalise(final String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private Optional<Principal> principal(final Context ctx) {
        final String header = ctx.header("Authorization");
        if (header == null
                || header.length() <= BEARER.length()
                || !header.substring(0, BEARER.length())
                        .toLowerCase(Locale.ROOT)
                        .equals(BEARER)) {
            return Optional.empty();
        }
        return auth.authenticate(header.substring(BEARER.length()).strip());
    }
}
