package io.incidentstream.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenStoreTest {
    static final String TOKEN = "s3cret-token";

    static String json(final String token, final String subject, final String tenant, final String scopes) {
        return "{\"tokens\": [{\"subject\": \"" + subject + "\", \"tenant\": \"" + tenant + "\", \"scopes\": " + scopes
                + ", \"sha256\": \"" + TokenHashes.sha256Hex(token) + "\"}]}";
    }

    private static TokenStore parse(final String text) {
        return TokenStore.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldAuthenticateAJsonEntryByTheHashOfItsToken() {
        final TokenStore store = parse(json(TOKEN, "ci-bot", "acme", "[\"alerts:write\", \"incidents:read\"]"));
        final Principal p = store.authenticate(TOKEN).orElseThrow();
        assertEquals("ci-bot", p.subject());
        assertEquals("acme", p.tenant());
        assertEquals(Set.of(Scope.ALERTS_WRITE, Scope.INCIDENTS_READ), p.scopes());
        assertTrue(p.allows(Scope.INCIDENTS_READ) && !p.allows(Scope.INCIDENTS_WRITE));
        assertEquals(Optional.empty(), store.authenticate(TOKEN + "x"));
        assertEquals(Optional.empty(), store.authenticate(TokenHashes.sha256Hex(TOKEN)), "the hash itself is no token");
    }

    @Test
    void shouldReadYamlAndLetAdminImplyEveryScope() {
        final TokenStore store = parse("""
            tokens:
              - subject: ops
                tenant: acme
                scopes: [admin]
                sha256: %s
            """.formatted(TokenHashes.sha256Hex(TOKEN)));
        final Principal p = store.authenticate(TOKEN).orElseThrow();
        for (Scope scope : Scope.values()) {
            assertTrue(p.allows(scope), scope.text());
        }
    }

    @Test
    void shouldNameEveryBadEntry() {
        final String text =
                "{\"tokens\": [{\"subject\": \"a\", \"tenant\": \"acme\", \"scopes\": [\"incidents:delete\"], "
                        + "\"sha256\": \"" + TokenHashes.sha256Hex("a")
                        + "\"}, {\"subject\": \"b\", \"tenant\": \"bad tenant\", "
                        + "\"scopes\": [\"admin\"], \"sha256\": \"plain-token\"}]}";
        final InvalidTokenFileException e = assertThrows(InvalidTokenFileException.class, () -> parse(text));
        assertTrue(e.getMessage().contains("tokens[0]: unknown scope incidents:delete"), e.getMessage());
        assertTrue(e.getMessage().contains("tokens[1]: tenant"), e.getMessage());
        assertTrue(e.getMessage().contains("tokens[1]: sha256"), e.getMessage());
    }

    @Test
    void shouldRefuseAFileWithoutTokensOrNotParseable() {
        assertThrows(InvalidTokenFileException.class, () -> parse("{\"tokens\": {}}"));
        assertThrows(InvalidTokenFileException.class, () -> parse("{\"tokens\": [}"));
        assertThrows(InvalidTokenFileException.class, () -> parse(""));
    }

    @Test
    void shouldRefuseTheSameTokenTwice() {
        final String entry = json(TOKEN, "a", "acme", "[\"admin\"]");
        final String twice =
                entry.replace("]}", ", " + entry.substring(entry.indexOf('[') + 1, entry.lastIndexOf(']')) + "]}");
        assertThrows(InvalidTokenFileException.class, () -> parse(twice));
    }
}
