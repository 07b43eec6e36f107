package io.incidentstream.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Test payloads: captures of the real programs (test resources) and the project's shared examples. */
public final class Payloads {
    private Payloads() {}

    /** A file of {@code src/test/resources/payloads}. */
    public static String captured(final String name) {
        try (InputStream in = Payloads.class.getResourceAsStream("/payloads/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test payload " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file of {@code ../shared/examples} (beside the work tree, as in CI); skips the test when absent. */
    public static String sharedExample(final String name) {
        final Path beside = Path.of(System.getProperty("user.dir"))
                .resolve("../shared/examples")
                .resolve(name);
        final Path file =
                Files.exists(beside) ? beside : Path.of("/work/shared/examples").resolve(name);
        Assumptions.assumeTrue(Files.exists(file), "shared example not found: " + beside);
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
