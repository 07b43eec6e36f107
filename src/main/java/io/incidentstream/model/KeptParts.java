package io.incidentstream.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The encoded text of a grouped incident's parts (timeline entries, member alerts) as the last version
 * of that incident was written, for the next version to copy the parts it shares with it. Parts are
 * immutable, and the fold keeps the objects of the parts an event did not change, so a part found
 * here by identity encodes to the text kept for it. Parts are looked for in the order they were
 * written (an incident is written in one order: entries oldest first, then members), so matching a
 * version is one pass over the last one.
 */
public final class KeptParts {
    /** No parts: nothing to copy. */
    public static final KeptParts NONE = new KeptParts(new Object[0], new byte[0][], 0);

    private final Object[] parts;
    private final byte[][] texts;
    private final long bytes;

    private KeptParts(final Object[] parts, final byte[][] texts, final long bytes) {
        this.parts = parts;
        this.texts = texts;
        this.bytes = bytes;
    }

    /** Bytes of the kept texts. */
    public long bytes() {
        return bytes;
    }

    /** Matches the parts of a new version against these, in the order it writes them. */
    public Walk walk() {
        return new Walk();
    }

    /** One version's parts as they are written: each found here, or encoded and added. */
    public final class Walk {
        private Object[] written = new Object[parts.length + 4];
        private byte[][] writtenTexts = new byte[parts.length + 4][];
        private int count;
        private long writtenBytes;
        private int cursor;

        private Walk() {}

        /** The text kept for this very part (the same object), or null. */
        public byte[] find(final Object part) {
            for (int j = cursor; j < parts.length; j++) {
                if (parts[j] == part) {
                    cursor = j + 1;
                    return texts[j];
                }
            }
            return null;
        }

        /** The part as written in this version, with its text. */
        public void add(final Object part, final byte[] text) {
            if (count == written.length) {
                written = Arrays.copyOf(written, count * 2);
                writtenTexts = Arrays.copyOf(writtenTexts, count * 2);
            }
            written[count] = part;
            writtenTexts[count++] = text;
            writtenBytes += text.length;
        }

        /** This version's parts, for the next one to match. */
        public KeptParts done() {
            return new KeptParts(Arrays.copyOf(written, count), Arrays.copyOf(writtenTexts, count), writtenBytes);
        }
    }

    /**
     * The parts of the incidents last written, by incident id: at most {@code maxIncidents} and about
     * {@code maxBytes} of text, least recently written first out.
     */
    public static final class ById {
        private final int maxIncidents;
        private final long maxBytes;
        private final LinkedHashMap<String, KeptParts> kept = new LinkedHashMap<>(256, 0.75f, true);
        private long bytes;

        public ById(final int maxIncidents, final long maxBytes) {
            this.maxIncidents = maxIncidents;
            this.maxBytes = maxBytes;
        }

        /** The parts of the incident's last written version, or none. */
        public KeptParts of(final String id) {
            final KeptParts parts = kept.get(id);
            return parts == null ? NONE : parts;
        }

        public void keep(final String id, final KeptParts parts) {
            final KeptParts before = kept.put(id, parts);
            bytes += parts.bytes - (before == null ? 0 : before.bytes);
            final var eldest = kept.entrySet().iterator();
            while (eldest.hasNext() && (kept.size() > maxIncidents || bytes > maxBytes)) {
                final Map.Entry<String, KeptParts> e = eldest.next();
                bytes -= e.getValue().bytes;
                eldest.remove();
            }
        }
    }
}
