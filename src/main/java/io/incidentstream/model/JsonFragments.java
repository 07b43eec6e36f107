package io.incidentstream.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The JSON text of the parts of a grouped incident that rarely change (its timeline entries and member
 * alerts), kept per incident while {@link #reusing} runs, and copied as they are into the next version
 * of the incident that holds the same part objects ({@link KeptParts}). A grouped incident is written
 * to {@code incidents} on every event of any member, with every member and every join in its
 * timeline: writing them all anew each time was the largest share of the grouped stream thread's
 * JSON. Only the part an event changed is written.
 *
 * <p>Only the thread inside {@link #reusing} (the fold's {@code incidents} sink) keeps parts, for at
 * most {@link #MAX_INCIDENTS} incidents and about {@link #MAX_BYTES} of text, and only for a plain
 * UTF-8 generator with no pretty printer or escapes, so what is copied is byte for byte what would
 * have been written.
 */
public final class JsonFragments {
    static final int MAX_INCIDENTS = 4096;
    static final long MAX_BYTES = 16L << 20;
    private static final ThreadLocal<JsonFragments> REUSING = new ThreadLocal<>();
    private static final ThreadLocal<JsonFragments> KEPT = ThreadLocal.withInitial(JsonFragments::new);

    private final KeptParts.ById byIncident = new KeptParts.ById(MAX_INCIDENTS, MAX_BYTES);
    private final ByteArrayBuilder buffer = new ByteArrayBuilder(512);
    private JsonGenerator own;
    private ObjectCodec ownCodec;

    private JsonFragments() {}

    /** Runs {@code write} (JSON writes on this thread) keeping the text of grouped incidents' parts. */
    public static <T> T reusing(final Supplier<T> write) {
        if (REUSING.get() != null) {
            return write.get();
        }
        REUSING.set(KEPT.get());
        try {
            return write.get();
        } finally {
            REUSING.remove();
        }
    }

    /** The parts kept for {@code gen}, or null when its text must be written field by field. */
    static JsonFragments forGenerator(final JsonGenerator gen) {
        final JsonFragments kept = REUSING.get();
        if (kept == null
                || gen.getClass() != UTF8JsonGenerator.class
                || gen.getPrettyPrinter() != null
                || gen.getCharacterEscapes() != null
                || gen.getHighestEscapedChar() != 0
                || gen.getCodec() == null) {
            return null;
        }
        return kept;
    }

    /** Starts writing a version of the incident: its parts are matched against the last version's. */
    Writing begin(final String incidentId) {
        return new Writing(incidentId, byIncident.of(incidentId).walk());
    }

    /** The parts of one version of an incident being written. */
    final class Writing {
        private final String incidentId;
        private final KeptParts.Walk walk;

        private Writing(final String incidentId, final KeptParts.Walk walk) {
            this.incidentId = incidentId;
            this.walk = walk;
        }

        /** Writes a part, as a value: the last version's text of it, or {@code write}'s. */
        <T> void write(final JsonGenerator gen, final T part, final PartWriter<T> write) throws IOException {
            byte[] text = walk.find(part);
            if (text == null) {
                text = textOf(gen.getCodec(), part, write);
            }
            walk.add(part, text);
            gen.writeRawValue(new Raw(text));
        }

        /** Every part written: this version is what the next one is matched against. */
        void end() {
            byIncident.keep(incidentId, walk.done());
        }
    }

    private <T> byte[] textOf(final ObjectCodec codec, final T part, final PartWriter<T> write) throws IOException {
        if (own == null || ownCodec != codec) {
            own = codec.getFactory().createGenerator((OutputStream) buffer);
            own.setCodec(codec);
            own.setRootValueSeparator(null);
            ownCodec = codec;
        }
        buffer.reset();
        write.write(own, part);
        own.flush();
        return buffer.toByteArray();
    }

    /** Writes one part with the given generator. */
    @FunctionalInterface
    interface PartWriter<T> {
        void write(JsonGenerator gen, T part) throws IOException;
    }

    /** Bytes already in JSON, for {@link JsonGenerator#writeRawValue(SerializableString)}. */
    private static final class Raw implements SerializableString {
        private final byte[] utf8;

        Raw(final byte[] utf8) {
            this.utf8 = utf8;
        }

        @Override
        public String getValue() {
            return new String(utf8, StandardCharsets.UTF_8);
        }

        @Override
        public int charLength() {
            return getValue().length();
        }

        @Override
        public char[] asQuotedChars() {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public byte[] asQuotedUTF8() {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public byte[] asUnquotedUTF8() {
            return utf8;
        }

        @Override
        public int appendQuotedUTF8(final byte[] buffer, final int offset) {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public int appendQuoted(final char[] buffer, final int offset) {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public int appendUnquotedUTF8(final byte[] buffer, final int offset) {
            if (offset + utf8.length > buffer.length) {
                return -1;
            }
            System.arraycopy(utf8, 0, buffer, offset, utf8.length);
            return utf8.length;
        }

        @Override
        public int appendUnquoted(final char[] buffer, final int offset) {
            final String value = getValue();
            if (offset + value.length() > buffer.length) {
                return -1;
            }
            value.getChars(0, value.length(), buffer, offset);
            return value.length();
        }

        @Override
        public int writeQuotedUTF8(final OutputStream out) {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public int writeUnquotedUTF8(final OutputStream out) throws IOException {
            out.write(utf8);
            return utf8.length;
        }

        @Override
        public int putQuotedUTF8(final ByteBuffer buffer) {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public int putUnquotedUTF8(final ByteBuffer buffer) {
            if (utf8.length > buffer.remaining()) {
                return -1;
            }
            buffer.put(utf8);
            return utf8.length;
        }
    }
}
