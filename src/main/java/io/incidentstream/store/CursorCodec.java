package io.incidentstream.store;

import io.incidentstream.errors.BadRequestException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The opaque {@code nextToken}: where the previous page ended, bound to the query it belongs to.
 *
 * <pre>
 * base64url( version(1)=2 | keyId(4) | queryFingerprint(8) | time(8) | idLength(2) | id | hmacSha256(16) )
 * </pre>
 *
 * The fingerprint is a hash of the query's canonical form (tenant, sort, order, filters), so a
 * token used with other filters is refused rather than silently continuing a different list. The
 * HMAC makes tokens tamper-evident: a forged or edited token is a 400, never a wrong page. The key
 * id (the first bytes of the key's SHA-256) says which secret signed it: tokens are signed with the
 * current secret and checked with whichever known secret has that id, so rotating the secret (new
 * one current, old one previous) keeps live pagination working. Version 1 tokens, from before key
 * ids, carry none and are checked against every known secret.
 */
public final class CursorCodec {
    static final byte VERSION = 2;
    private static final byte VERSION_WITHOUT_KEY_ID = 1;
    private static final int KEY_ID_LENGTH = 4;
    private static final int MAC_LENGTH = 16;
    private static final int MAX_ID_LENGTH = 512;
    private static final int MAX_TOKEN_LENGTH = 1024;

    /** A decoded position: the last item of the previous page. */
    public record Position(long time, String id) {}

    /** A signing key and its id: the first bytes of the secret's SHA-256, carried in every token. */
    private static final class Key {
        private final byte[] id;
        private final SecretKeySpec spec;

        private Key(final byte[] id, final SecretKeySpec spec) {
            this.id = id;
            this.spec = spec;
        }

        byte[] id() {
            return id.clone();
        }

        SecretKeySpec spec() {
            return spec;
        }
    }

    private final Key current;
    private final List<Key> known;

    public CursorCodec(final byte[] secret) {
        this(secret, List.of());
    }

    /**
     * @param secret   signs new tokens
     * @param previous still accepted (a rotation in progress); may be empty
     */
    public CursorCodec(final byte[] secret, final List<byte[]> previous) {
        this.current = key(secret);
        final List<Key> keys = new ArrayList<>();
        keys.add(current);
        previous.forEach(p -> keys.add(key(p)));
        this.known = List.copyOf(keys);
    }

    public String encode(final String canonicalQuery, final Position position) {
        final byte[] id = position.id().getBytes(StandardCharsets.UTF_8);
        final ByteBuffer body = ByteBuffer.allocate(1 + KEY_ID_LENGTH + 8 + 8 + 2 + id.length)
                .put(VERSION)
                .put(current.id())
                .put(fingerprint(canonicalQuery))
                .putLong(position.time())
                .putShort((short) id.length)
                .put(id);
        final byte[] payload = body.array();
        final byte[] token = Arrays.copyOf(payload, payload.length + MAC_LENGTH);
        System.arraycopy(mac(current, payload), 0, token, payload.length, MAC_LENGTH);
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
        final byte[] givenMac = Arrays.copyOfRange(bytes, payloadLength, bytes.length);
        final byte version = payload[0];
        if (version != VERSION && version != VERSION_WITHOUT_KEY_ID) {
            throw invalid("has an unsupported version");
        }
        if (version == VERSION && payload.length < 1 + KEY_ID_LENGTH + 8 + 8 + 2) {
            throw invalid("is truncated");
        }
        if (!signedByAKnownKey(payload, givenMac)) {
            throw invalid("was altered or was not issued by this service");
        }
        try {
            final ByteBuffer b = ByteBuffer.wrap(payload);
            b.get();
            if (version == VERSION) {
                b.position(b.position() + KEY_ID_LENGTH);
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
        return Arrays.copyOf(sha256(canonicalQuery.getBytes(StandardCharsets.UTF_8)), 8);
    }

    /** Version 2 names its key; version 1 may have been signed by any known one. */
    private boolean signedByAKnownKey(final byte[] payload, final byte[] givenMac) {
        final byte[] keyId = payload[0] == VERSION ? Arrays.copyOfRange(payload, 1, 1 + KEY_ID_LENGTH) : null;
        for (Key key : known) {
            if ((keyId == null || MessageDigest.isEqual(keyId, key.id()))
                    && MessageDigest.isEqual(Arrays.copyOf(mac(key, payload), MAC_LENGTH), givenMac)) {
                return true;
            }
        }
        return false;
    }

    private static Key key(final byte[] secret) {
        return new Key(Arrays.copyOf(sha256(secret), KEY_ID_LENGTH), new SecretKeySpec(secret, "HmacSHA256"));
    }

    private static byte[] sha256(final byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    private static byte[] mac(final Key key, final byte[] payload) {
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key.spec());
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
