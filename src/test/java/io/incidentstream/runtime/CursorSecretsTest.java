package io.incidentstream.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.config.Config;
import io.incidentstream.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CursorSecretsTest {
    @TempDir
    Path dir;

    private Config config(final String... pairs) {
        final Map<String, String> env = new HashMap<>(Map.of("DATA_DIR", dir.toString()));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return Config.from(env);
    }

    private Config withAuth(final String... pairs) {
        final Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        env.put("AUTH_TOKENS_FILE", "/t.json");
        env.put("PEER_TOKEN", "peer-token-0123456789");
        return config(env.entrySet().stream()
                .flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue()))
                .toArray(String[]::new));
    }

    @Test
    void shouldGenerateASecretOnceWithAuthAndKeepItAcrossRestarts() throws Exception {
        final List<byte[]> first = CursorSecrets.of(withAuth());
        final List<byte[]> second = CursorSecrets.of(withAuth());
        assertEquals(1, first.size());
        assertArrayEquals(first.get(0), second.get(0), "a restart keeps the secret, so cursors stay valid");
        assertTrue(Files.readString(dir.resolve(CursorSecrets.FILE)).length() >= 40);
        assertFalse(new String(first.get(0), StandardCharsets.UTF_8).contains("incident-stream"), "not guessable");
    }

    @Test
    void shouldUseTheGivenSecretAndThePreviousOneDuringARotation() {
        final List<byte[]> secrets =
                CursorSecrets.of(withAuth("CURSOR_SECRET", "new-secret", "CURSOR_SECRET_PREVIOUS", "old-secret"));
        assertEquals("new-secret", new String(secrets.get(0), StandardCharsets.UTF_8));
        assertEquals("old-secret", new String(secrets.get(1), StandardCharsets.UTF_8));
        assertFalse(Files.exists(dir.resolve(CursorSecrets.FILE)));
    }

    @Test
    void shouldDeriveTheSecretWithoutAuthAsBefore() {
        assertEquals(
                "incident-stream-cursor:incident-stream",
                new String(CursorSecrets.of(config()).get(0), StandardCharsets.UTF_8));
    }

    @Test
    void shouldRefuseAShortPeerToken() {
        final ConfigException e = assertThrows(
                ConfigException.class, () -> config("AUTH_TOKENS_FILE", "/t.json", "PEER_TOKEN", "secret"));
        assertTrue(e.getMessage().contains("PEER_TOKEN=secret: too short"), e.getMessage());
    }
}
