package io.incidentstream.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a token, the only form in which tokens are stored or compared. */
public final class TokenHashes {
    private TokenHashes() {}

    public static byte[] sha256(final String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    public static String sha256Hex(final String token) {
        return HexFormat.of().formatHex(sha256(token));
    }
}
