package io.incidentstream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.errors.BadRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryStringsTest {

    @Test
    void shouldDecodeRepeatedAndEncodedParameters() {
        final Map<String, List<String>> params =
                QueryStrings.parse("status=ACTIVE&status=RESOLVED&alertId=a%2Fb+c&flag");
        assertEquals(List.of("ACTIVE", "RESOLVED"), params.get("status"));
        assertEquals(List.of("a/b c"), params.get("alertId"));
        assertEquals(List.of(""), params.get("flag"));
    }

    @Test
    void shouldRefuseBrokenPercentEncodingInsteadOfDroppingTheParameter() {
        assertThrows(BadRequestException.class, () -> QueryStrings.parse("status=%ZZ&limit=5"));
        assertThrows(BadRequestException.class, () -> QueryStrings.parse("status=%4"));
        // URLDecoder alone accepts a signed "hex" pair: %+1 would be U+0001, %-0 a NUL
        assertThrows(BadRequestException.class, () -> QueryStrings.parse("alertId=a%+1"));
        assertThrows(BadRequestException.class, () -> QueryStrings.parse("alertId=%-0"));
        assertThrows(BadRequestException.class, () -> QueryStrings.parse("%+4status=ACTIVE"));
    }

    @Test
    void shouldAnswer400OverHttpForBrokenPercentEncoding() throws Exception {
        final HttpFakes.RecordingQueries queries = new HttpFakes.RecordingQueries();
        final var app = HttpFakes.app(queries, new HttpFakes.RecordingSink()).start("127.0.0.1", 0);
        try (Socket socket = new Socket(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), app.port())) {
            final OutputStream out = socket.getOutputStream();
            out.write("GET /incidents?status=%ZZ&limit=5 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            final String response = read(socket.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 400"), response);
            assertTrue(response.contains("\"message\""), response);
        } finally {
            app.stop();
        }
    }

    private static String read(final InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
