package io.incidentstream.auth;

import java.util.Objects;
import java.util.Set;

/**
 * Who a valid token speaks for: its {@code subject} (named as actor on the timeline), its
 * {@code tenant} (every read, write and ingested alert is bound to it) and its scopes.
 *
 * @param tokenHash the hex SHA-256 of the token: the key its rate limit is counted under
 */
public record Principal(String subject, String tenant, Set<Scope> scopes, String tokenHash) {

    public Principal {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(tokenHash, "tokenHash");
        scopes = Set.copyOf(scopes);
    }

    /** Whether the token grants {@code scope}; {@link Scope#ADMIN} grants all. */
    public boolean allows(final Scope scope) {
        return scopes.contains(Scope.ADMIN) || scopes.contains(scope);
    }

    public boolean admin() {
        return scopes.contains(Scope.ADMIN);
    }
}
