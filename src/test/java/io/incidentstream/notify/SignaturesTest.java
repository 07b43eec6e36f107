package io.incidentstream.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SignaturesTest {
    private static byte[] utf8(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The example of the Standard Webhooks specification (and of svix's libraries, which it comes from). */
    @Test
    void shouldMatchTheStandardWebhooksExampleSignature() {
        assertEquals(
                "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                Signatures.standard(
                        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                        "msg_p5jXN8AQM9LWM0D4loKWxJek",
                        1614265330L,
                        utf8("{\"test\": 2432232314}")));
    }

    @Test
    void shouldKeyTheBodySignatureWithTheWholeSecretString() throws Exception {
        final String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        final Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(utf8(secret), "HmacSHA256"));
        final byte[] body = utf8("{\"type\":\"incident.opened\"}");
        assertEquals("sha256=" + HexFormat.of().formatHex(mac.doFinal(body)), Signatures.github(secret, body));
    }

    @Test
    void shouldGenerateDistinctWellFormedSecrets() {
        final String a = Signatures.newSecret();
        final String b = Signatures.newSecret();
        assertNotEquals(a, b);
        assertTrue(a.startsWith("whsec_"));
        assertEquals(Signatures.SECRET_BYTES, Base64.getDecoder().decode(a.substring("whsec_".length())).length);
        assertTrue(Signatures.wellFormed(a));
        assertFalse(Signatures.wellFormed("whsec_short"));
        assertFalse(Signatures.wellFormed("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
    }

    @Test
    void shouldNotShowASecretInToString() {
        final SigningSecret s = new SigningSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", null);
        assertFalse(s.toString().contains("MfKQ"));
    }
}
