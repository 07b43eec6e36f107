package io.incidentstream.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HashTokenTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(final String stdin, final String... args) throws IOException {
        return HashToken.run(
                args,
                new BufferedReader(new StringReader(stdin)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldPrintTheSha256AndAnEntryTheTokenFileAccepts() throws IOException {
        assertEquals(0, run("", "test"));
        // sha256("test"), as `printf test | sha256sum` prints it
        final String hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        assertTrue(output().contains("sha256: " + hash), output());
        final String entry = output().substring(output().indexOf("entry:") + "entry:".length())
                .strip();
        final TokenStore store = TokenStore.parse(("{\"tokens\": [" + entry + "]}").getBytes(StandardCharsets.UTF_8));
        assertTrue(store.authenticate("test").isPresent());
    }

    @Test
    void shouldReadTheTokenFromStdinWithADash() throws IOException {
        assertEquals(0, run("test\n", "-"));
        assertTrue(output().contains("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"), output());
    }

    @Test
    void shouldGenerateARandomTokenAndPrintItsHash() throws IOException {
        assertEquals(0, run("", "--generate"));
        final String token = output().lines()
                .filter(l -> l.startsWith("token:"))
                .findFirst()
                .orElseThrow()
                .substring(6)
                .strip();
        assertTrue(token.length() >= 40, token);
        assertTrue(output().contains(TokenHashes.sha256Hex(token)));
    }

    @Test
    void shouldExplainUsageWithoutArguments() throws IOException {
        assertEquals(2, run(""));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage"));
    }
}
