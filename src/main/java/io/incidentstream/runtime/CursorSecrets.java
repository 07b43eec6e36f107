package io.incidentstream.runtime;

import io.incidentstream.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys that sign {@code nextToken}. {@code CURSOR_SECRET} when given. Otherwise, with auth on, a
 * random secret generated once and kept in {@code $DATA_DIR/cursor-secret}, so cursors survive a
 * restart and cannot be forged by someone who knows the application id; with auth off (a trusted
 * loopback setup) a secret derived from the application id, as before.
 */
final class CursorSecrets {
    private static final Logger LOG = LoggerFactory.getLogger(CursorSecrets.class);
    static final String FILE = "cursor-secret";

    private CursorSecrets() {}

    /** The signing secret first, then any still accepted. */
    static List<byte[]> of(final Config config) {
        final byte[] current = config.cursorSecret()
                .map(s -> s.getBytes(StandardCharsets.UTF_8))
                .orElseGet(() -> config.authEnabled()
                        ? generatedOnce(config.dataDir().resolve(FILE))
                        : ("incident-stream-cursor:" + config.applicationId()).getBytes(StandardCharsets.UTF_8));
        return config.cursorSecretPrevious()
                .map(p -> List.of(current, p.getBytes(StandardCharsets.UTF_8)))
                .orElse(List.of(current));
    }

    private static byte[] generatedOnce(final Path file) {
        try {
            if (!Files.exists(file)) {
                final byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                Files.createDirectories(file.getParent());
                try {
                    Files.createFile(
                            file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, Base64.getEncoder().encodeToString(random));
                    LOG.warn(
                            "No CURSOR_SECRET: generated one in {}. Running several instances? Give them all the same"
                                    + " CURSOR_SECRET, or a cursor from one is refused by another",
                            file.toAbsolutePath());
                } catch (FileAlreadyExistsException raced) {
                    // another process made it first: use theirs
                }
            }
            final String text = Files.readString(file).trim();
            if (text.isEmpty()) {
                throw new IllegalStateException(file + " is empty: delete it to generate a new cursor secret");
            }
            return text.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the generated cursor secret in " + file, e);
        }
    }
}
