package io.incidentstream.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.errors.BadRequestException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class CursorCodecTest {
    private static final String QUERY = "tenant=acme;sort=createdAt;order=desc;status=ACTIVE";
    private static final CursorCodec.Position POSITION = new CursorCodec.Position(1_767_225_600_123L, "incident.3.1a");

    private final CursorCodec codec = new CursorCodec("secret-one".getBytes(StandardCharsets.UTF_8));

    private static String b64(final byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] raw(final String token) {
        return Base64.getUrlDecoder().decode(token);
    }

    private void assertRejected(final String token, final String why) {
        final BadRequestException e = assertThrows(BadRequestException.class, () -> codec.decode(QUERY, token));
        assertTrue(e.getMessage().startsWith("nextToken"), e.getMessage());
        if (why != null) {
            assertTrue(e.getMessage().contains(why), e.getMessage());
        }
    }

    @Test
    void shouldRoundTripPosition() {
        assertEquals(POSITION, codec.decode(QUERY, codec.encode(QUERY, POSITION)));
    }

    @Test
    void shouldRoundTripNegativeAndExtremeTimesAndUnicodeIds() {
        for (long t : new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}) {
            final CursorCodec.Position p = new CursorCodec.Position(t, "incident.0.zz");
            assertEquals(p, codec.decode(QUERY, codec.encode(QUERY, p)));
        }
        final CursorCodec.Position unicode = new CursorCodec.Position(5, "inc/é€🙂");
        assertEquals(unicode, codec.decode(QUERY, codec.encode(QUERY, unicode)));
    }

    @Test
    void shouldProduceUrlSafeTokens() {
        final String token = codec.encode(QUERY, POSITION);
        assertTrue(token.matches("[A-Za-z0-9_-]+"), token);
    }

    @Test
    void shouldRejectTokenWithAnyByteFlipped() {
        final byte[] bytes = raw(codec.encode(QUERY, POSITION));
        for (int i = 0; i < bytes.length; i++) {
            for (int bit : new int[] {0x01, 0x80}) {
                final byte[] tampered = bytes.clone();
                tampered[i] ^= (byte) bit;
                assertRejected(b64(tampered), null);
            }
        }
    }

    @Test
    void shouldRejectTokenWithAnyCharacterReplaced() {
        final String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        // an id of 12 bytes leaves unused bits in the last character: changing only those must fail too
        for (String id : new String[] {"incident.3.1", "incident.3.1a"}) {
            final String token = codec.encode(QUERY, new CursorCodec.Position(42, id));
            for (int i = 0; i < token.length(); i++) {
                for (int k = 0; k < alphabet.length(); k++) {
                    final char c = alphabet.charAt(k);
                    if (c != token.charAt(i)) {
                        assertRejected(token.substring(0, i) + c + token.substring(i + 1), null);
                    }
                }
            }
        }
    }

    @Test
    void shouldRejectTokenWithForgedPositionEvenIfWellFormed() {
        final byte[] bytes = raw(codec.encode(QUERY, POSITION));
        final byte[] forged = bytes.clone();
        forged[1 + 8 + 7] = (byte) (forged[1 + 8 + 7] + 1); // last byte of the time
        assertRejected(b64(forged), "altered");
    }

    @Test
    void shouldRejectTruncatedToken() {
        final String token = codec.encode(QUERY, POSITION);
        final byte[] bytes = raw(token);
        for (int len : new int[] {0, 1, 10, 34, bytes.length - 1}) {
            assertRejected(b64(Arrays.copyOf(bytes, len)), null);
        }
        assertRejected(token.substring(0, 20), "truncated");
        assertRejected("", "truncated");
    }

    @Test
    void shouldRejectTokenThatIsNotBase64() {
        assertRejected("not base64!!", "base64");
        assertRejected("abc$def%ghi", "base64");
        assertRejected(codec.encode(QUERY, POSITION) + "===", null);
    }

    @Test
    void shouldRejectOverlongToken() {
        assertRejected("A".repeat(5_000), "too long");
    }

    @Test
    void shouldRejectTokenFromAnotherQuery() {
        final String token = codec.encode(QUERY, POSITION);
        final BadRequestException e = assertThrows(
                BadRequestException.class,
                () -> codec.decode("tenant=acme;sort=createdAt;order=asc;status=ACTIVE", token));
        assertTrue(e.getMessage().contains("different query"), e.getMessage());
        assertThrows(
                BadRequestException.class,
                () -> codec.decode("tenant=other;sort=createdAt;order=desc;status=ACTIVE", token));
    }

    @Test
    void shouldRejectTokenSignedWithAnotherSecret() {
        final CursorCodec other = new CursorCodec("secret-two".getBytes(StandardCharsets.UTF_8));
        final String foreign = other.encode(QUERY, POSITION);
        assertNotEquals(foreign, codec.encode(QUERY, POSITION));
        assertRejected(foreign, "not issued by this service");
        assertEquals(POSITION, other.decode(QUERY, foreign));
    }

    @Test
    void shouldKeepLivePaginationWorkingAcrossASecretRotation() {
        final byte[] old = "secret-one".getBytes(StandardCharsets.UTF_8);
        final byte[] fresh = "secret-two".getBytes(StandardCharsets.UTF_8);
        final String issuedBefore = codec.encode(QUERY, POSITION);
        final CursorCodec rotating = new CursorCodec(fresh, List.of(old));
        assertEquals(POSITION, rotating.decode(QUERY, issuedBefore), "a page in flight goes on after the rotation");
        final String issuedAfter = rotating.encode(QUERY, POSITION);
        assertEquals(POSITION, new CursorCodec(fresh).decode(QUERY, issuedAfter), "new tokens use the new secret");
        assertThrows(BadRequestException.class, () -> new CursorCodec(fresh).decode(QUERY, issuedBefore));
    }

    @Test
    void shouldStillAcceptTokensIssuedBeforeKeyIds() throws Exception {
        final byte[] id = POSITION.id().getBytes(StandardCharsets.UTF_8);
        final byte[] payload = ByteBuffer.allocate(1 + 8 + 8 + 2 + id.length)
                .put((byte) 1)
                .put(Arrays.copyOf(
                        MessageDigest.getInstance("SHA-256").digest(QUERY.getBytes(StandardCharsets.UTF_8)), 8))
                .putLong(POSITION.time())
                .putShort((short) id.length)
                .put(id)
                .array();
        final Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("secret-one".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        final byte[] token = Arrays.copyOf(payload, payload.length + 16);
        System.arraycopy(mac.doFinal(payload), 0, token, payload.length, 16);
        final String v1 = Base64.getUrlEncoder().withoutPadding().encodeToString(token);
        assertEquals(POSITION, codec.decode(QUERY, v1));
        assertThrows(
                BadRequestException.class,
                () -> new CursorCodec("secret-two".getBytes(StandardCharsets.UTF_8)).decode(QUERY, v1));
    }
}
