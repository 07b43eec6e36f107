package io.incidentstream.auth;

import static io.incidentstream.auth.TokenStoreTest.json;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloads are driven by {@link TokenFile#reloadIfChanged()} directly: no timers, no sleeps. */
class TokenFileTest {
    @TempDir
    Path dir;

    private Path write(final String content) throws IOException {
        return Files.writeString(dir.resolve("tokens.json"), content);
    }

    @Test
    void shouldTakeANewTokenAndDropTheOldOneWhenTheFileChanges() throws IOException {
        final Path path = write(json("old-token", "a", "acme", "[\"admin\"]"));
        try (TokenFile file = TokenFile.load(path)) {
            assertTrue(file.current().authenticate("old-token").isPresent());
            assertFalse(file.reloadIfChanged(), "unchanged content is not reloaded");
            write(json("new-token", "a", "acme", "[\"admin\"]"));
            assertTrue(file.reloadIfChanged());
            assertTrue(file.current().authenticate("new-token").isPresent());
            assertFalse(file.current().authenticate("old-token").isPresent());
        }
    }

    @Test
    void shouldKeepTheLastGoodTokensWhenTheFileBreaksOrVanishes() throws IOException {
        final Path path = write(json("good-token", "a", "acme", "[\"admin\"]"));
        try (TokenFile file = TokenFile.load(path)) {
            write("{\"tokens\": [ broken");
            assertFalse(file.reloadIfChanged());
            assertTrue(file.current().authenticate("good-token").isPresent());
            Files.delete(path);
            assertFalse(file.reloadIfChanged());
            assertTrue(file.current().authenticate("good-token").isPresent());
            write(json("fixed-token", "a", "acme", "[\"admin\"]"));
            assertTrue(file.reloadIfChanged(), "a fixed file is taken again");
            assertTrue(file.current().authenticate("fixed-token").isPresent());
        }
    }

    @Test
    void shouldFailAtStartOnAMissingOrBrokenFile() throws IOException {
        assertThrows(InvalidTokenFileException.class, () -> TokenFile.load(dir.resolve("missing.json")));
        final Path broken = write("tokens: 3");
        final InvalidTokenFileException e = assertThrows(InvalidTokenFileException.class, () -> TokenFile.load(broken));
        assertTrue(e.getMessage().contains(broken.toString()), e.getMessage());
    }
}
