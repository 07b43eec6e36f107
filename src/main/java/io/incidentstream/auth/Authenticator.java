package io.incidentstream.auth;

import java.time.Duration;
import java.util.Optional;

/**
 * What the HTTP auth filter asks: who a bearer token is (from the current {@link TokenSource}),
 * whether it is within its rate, and whether {@code /metrics} needs a token. No Javalin here.
 *
 * @param limiter     null: no {@code RATE_LIMIT_PER_MIN}, requests are not limited
 * @param failures    failed authentications per client address ({@code AUTH_FAILURES_PER_MIN}); null: not limited
 * @param metricsAuth {@code METRICS_AUTH=true}: {@code /metrics} requires an {@code admin} token
 */
public record Authenticator(TokenSource tokens, RateLimiter limiter, RateLimiter failures, boolean metricsAuth) {

    /** Whether this address may try to authenticate now: not after too many failures in a row. */
    public RateLimiter.Decision mayTry(final String address) {
        return failures == null ? new RateLimiter.Decision(true, Duration.ZERO) : failures.peek(address);
    }

    /** Counts a failed authentication from this address. */
    public void failed(final String address) {
        if (failures != null) {
            failures.acquire(address);
        }
    }

    /** The principal of a presented token, if the current token file has it. */
    public Optional<Principal> authenticate(final String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        return tokens.current().authenticate(token);
    }

    /** Counts one request of {@code principal} against its token's bucket. */
    public RateLimiter.Decision acquire(final Principal principal) {
        return limiter == null ? new RateLimiter.Decision(true, Duration.ZERO) : limiter.acquire(principal.tokenHash());
    }
}
