package io.incidentstream.http;

import io.incidentstream.cluster.PeerProtocol;
import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The guard of the internal endpoints. With {@code PEER_TOKEN} set, a peer call must carry it as a
 * bearer token (compared in constant time); without it the internal endpoints are as open as the
 * rest of the API, which is only acceptable while auth is off and HTTP binds to loopback.
 */
final class PeerAuth {

    private final Optional<byte[]> token;

    PeerAuth(final Optional<String> peerToken) {
        this.token = peerToken.map(t -> ("Bearer " + t).getBytes(StandardCharsets.UTF_8));
    }

    void check(final Context ctx) {
        if (token.isEmpty()) {
            return;
        }
        final String given = ctx.header(PeerProtocol.AUTH_HEADER);
        if (given == null || !MessageDigest.isEqual(token.get(), given.getBytes(StandardCharsets.UTF_8))) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new UnauthorizedResponse("internal endpoint: a valid peer credential is required");
        }
    }
}
