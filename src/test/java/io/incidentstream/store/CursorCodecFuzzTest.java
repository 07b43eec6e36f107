package io.incidentstream.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.incidentstream.errors.BadRequestException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fuzz targets for the {@code nextToken} decoder: any token is a {@link CursorCodec.Position} or a
 * {@link BadRequestException} (400). A fuzzer cannot forge the HMAC, so {@link #signedPayload}
 * signs fuzzed payloads with the test's key to reach the parsing behind the MAC check too.
 */
class CursorCodecFuzzTest {
    private static final byte[] SECRET = "fuzz-secret-fuzz-secret-fuzz-sec".getBytes(StandardCharsets.US_ASCII);
    private static final String QUERY = "v1;default;CREATED_AT;desc;";

    private final CursorCodec codec = new CursorCodec(SECRET);

    @FuzzTest(maxDuration = "60s")
    void anyToken(final FuzzedDataProvider data) {
        final String query = data.consumeBoolean() ? QUERY : data.consumeString(64);
        try {
            codec.decode(query, data.consumeRemainingAsString());
        } catch (BadRequestException expected) {
            // a 400: the documented answer to a bad token
        }
    }

    @FuzzTest(maxDuration = "60s")
    void signedPayload(final byte[] payload) {
        try {
            final CursorCodec.Position position = codec.decode(QUERY, sign(payload));
            assertEquals(
                    position, codec.decode(QUERY, codec.encode(QUERY, position)), "a decoded position must round-trip");
        } catch (BadRequestException expected) {
            // a 400
        }
    }

    /** Every position of a real incident (ids are short ASCII, times any millis) survives a round trip. */
    @FuzzTest(maxDuration = "60s")
    void roundTrip(final FuzzedDataProvider data) {
        final long time = data.consumeLong();
        final String id = data.consumeAsciiString(64);
        if (id.isEmpty()) {
            return;
        }
        final CursorCodec.Position position = new CursorCodec.Position(time, id);
        assertEquals(position, codec.decode(QUERY, codec.encode(QUERY, position)));
    }

    private static String sign(final byte[] payload) {
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
            final byte[] token = Arrays.copyOf(payload, payload.length + 16);
            System.arraycopy(mac.doFinal(payload), 0, token, payload.length, 16);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
