package io.incidentstream.store;

import io.incidentstream.errors.BadRequestException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The opaque {@code nextToken}: where the previous page ended, bound to the query it belongs to.
 *
 * <pre>
 * base64url( version(1) | queryFingerprint(8) | time(8) | idLength(2) | id | hmacSha256(16) )
 * </pre>
 *
 * The fingerprint is a hash of the query's canonical form (tenant, sort, order, filters), so a
 * token used with other filters is refused rather than silently continuing a different list. The
 * HMAC makes tokens tamper-evident: a forged or edited token is a 400, never a wrong page.
 */
public final class CursorCodec {
    static final byte VERSION = 1;
    private static final int MAC_LENGTH = 16;
    private static final int MAX_ID_LENGTH = 512;
    private static final int MAX_TOKEN_LENGTH = 1024;

    /** A decoded position: the last item of the previous page. */
    public record Position(long time, String id) {}

    private final SecretKeySpec key;

    public CursorCodec(final byte[] secret) {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    public String encode(final String canonicalQuery, final Position position) {
        final byte[] id = position.id().getBytes(StandardCharsets.UTF_8);
        final ByteBuffer body = ByteBuffer.allocate(1 + 8 + 8 + 2 + id.length)
                .put(VERSION)
                .put(fingerprint(canonicalQuery))
                .putLong(position.time())
                .putShort((short) id.length)
                .put(id);
        final byte[] payload = body.array();
        final byte[] token = Arrays.copyOf(payload, payload.length + MAC_LENGTH);
        System.arraycopy(mac(payload), 0, token, payload.length, MAC_LENGTH);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    public Position decode(final String canonicalQuery, final String token) {
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw invalid("is too long");
        }
        final byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw invalid("is not base64url");
        }
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(token)) {
            throw invalid("is not in canonical base64url form");
        }
        if (bytes.length < 1 + 8 + 8 + 2 + MAC_LENGTH) {
            throw invalid("is truncated");
        }
        final int payloadLength = bytes.length - MAC_LENGTH;
        final byte[] payload = Arrays.copyOf(bytes, payloadLength);
        if (!MessageDigest.isEqual(
                Arrays.copyOfRange(mac(payload), 0, MAC_LENGTH),
                Arrays.copyOfRange(bytes, payloadLength, bytes.length))) {
            throw invalid("was altered or was not issued by this service");
        }
        try {
            final ByteBuffer b = ByteBuffer.wrap(payload);
            if (b.get() != VERSION) {
                throw invalid("has an unsupported version");
            }
            final byte[] fingerprint = new byte[8];
            b.get(fingerprint);
            if (!MessageDigest.isEqual(fingerprint, fingerprint(canonicalQuery))) {
                throw invalid("belongs to a different query (sort, order and filters must stay the same while paging)");
            }
            final long time = b.getLong();
            final int idLength = b.getShort();
            if (idLength <= 0 || idLength > MAX_ID_LENGTH || idLength != b.remaining()) {
                throw invalid("is malformed");
            }
            final byte[] id = new byte[idLength];
            b.get(id);
            return new Position(time, new String(id, StandardCharsets.UTF_8));
        } catch (BufferUnderflowException e) {
            throw invalid("is malformed");
        }
    }

    private static BadRequestException invalid(final String why) {
        return new BadRequestException("nextToken " + why);
    }

    private static byte[] fingerprint(final String canonicalQuery) {
        try {
            return Arrays.copyOf(
                    MessageDigest.getInstance("SHA-256").digest(canonicalQuery.getBytes(StandardCharsets.UTF_8)), 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    private byte[] mac(final byte[] payload) {
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
