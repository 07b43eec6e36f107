package io.incidentstream.notify;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signing secrets and the two signatures each delivery carries. The Standard Webhooks signature
 * ({@code webhook-signature: v1,<base64>}) is an HMAC-SHA256 of {@code "{id}.{timestamp}.{body}"}
 * keyed with the bytes the secret encodes (base64 after {@code whsec_}); the GitHub-style one
 * ({@code X-Incident-Signature-256: sha256=<hex>}) is an HMAC-SHA256 of the body alone keyed with
 * the secret string exactly as the user was shown it, since that is what such tooling is configured with.
 */
public final class Signatures {
    /** The prefix of every secret, as Standard Webhooks writes them. */
    public static final String PREFIX = "whsec_";

    /** Bytes of randomness in a new secret (Standard Webhooks asks for 24 to 64). */
    static final int SECRET_BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Signatures() {}

    /** A new secret: {@code whsec_} and the base64 of {@value #SECRET_BYTES} random bytes. */
    public static String newSecret() {
        final byte[] bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /** {@code v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">} keyed with the secret's decoded bytes. */
    public static String standard(final String secret, final String id, final long timestamp, final byte[] body) {
        final byte[] key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        final Mac mac = mac(key);
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    /** {@code sha256=<hex HMAC-SHA256 of the body>} keyed with the whole secret string. */
    public static String github(final String secret, final byte[] body) {
        return "sha256="
                + HexFormat.of()
                        .formatHex(mac(secret.getBytes(StandardCharsets.UTF_8)).doFinal(body));
    }

    /** Whether a secret has our shape: the prefix, then base64 of 24 to 64 bytes. */
    static boolean wellFormed(final String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            return false;
        }
        try {
            final int n = Base64.getDecoder().decode(secret.substring(PREFIX.length())).length;
            return n >= 24 && n <= 64;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Mac mac(final byte[] key) {
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
