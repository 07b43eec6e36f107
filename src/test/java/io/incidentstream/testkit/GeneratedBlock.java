package io.incidentstream.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A block of a committed document that is generated from the code, between a begin and an end marker
 * line: a test asserts the committed text equals what the code generates, and with the system property
 * {@code <name>.docs.update=true} rewrites it instead, so a reader never meets a stale table or picture.
 */
public record GeneratedBlock(Path file, String name) {

    public String begin() {
        return "<!-- " + name + ":begin (generated; mvn test -D" + name + ".docs.update=true rewrites it) -->";
    }

    public String end() {
        return "<!-- " + name + ":end -->";
    }

    /** Asserts (or, with the update property, writes) that the block holds exactly {@code generated}. */
    public void check(final String generated) {
        final String text = read();
        final int begin = text.indexOf(begin());
        final int end = text.indexOf(end());
        assertTrue(begin >= 0 && end > begin, file + " needs a block " + begin() + " … " + end());
        final String block = begin() + "\n" + generated + end();
        if (Boolean.getBoolean(name + ".docs.update")) {
            write(text.substring(0, begin) + block + text.substring(end + end().length()));
            return;
        }
        assertEquals(
                block,
                text.substring(begin, end + end().length()),
                file + "'s " + name + " block is out of date: run mvn test -Dtest=<this test> -D" + name
                        + ".docs.update=true and commit it");
    }

    private String read() {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(final String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
