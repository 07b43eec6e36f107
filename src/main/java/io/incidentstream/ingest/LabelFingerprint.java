package io.incidentstream.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * The fingerprint Prometheus and Alertmanager give a label set ({@code model.LabelSet.Fingerprint()}
 * in prometheus/common): 64-bit FNV-1a over the labels sorted by name, each name and value followed
 * by the byte {@code 0xff}, printed as 16 lower-case hex digits.
 *
 * <p>Computing exactly their hash matters: an alert that reaches us straight from Prometheus
 * ({@code POST /api/v2/alerts}, no fingerprint in the payload) and the same alert relayed by
 * Alertmanager's webhook (which carries the fingerprint) get the same {@code alertId}, so both
 * paths fold into one incident.
 */
public final class LabelFingerprint {
    private static final long OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;
    private static final int SEPARATOR = 0xff;

    private LabelFingerprint() {}

    /** The fingerprint of {@code labels}; an empty set has the FNV offset basis, as in Prometheus. */
    public static String of(final Map<String, String> labels) {
        final byte[][] names = labels.keySet().stream()
                .map(name -> name.getBytes(StandardCharsets.UTF_8))
                .sorted(Arrays::compareUnsigned) // Go sorts strings by their UTF-8 bytes
                .toArray(byte[][]::new);
        long hash = OFFSET_BASIS;
        for (byte[] name : names) {
            hash = add(hash, name);
            hash = addByte(hash, SEPARATOR);
            hash = add(
                    hash, labels.get(new String(name, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            hash = addByte(hash, SEPARATOR);
        }
        return String.format("%016x", hash);
    }

    private static long add(final long hash, final byte[] bytes) {
        long h = hash;
        for (byte b : bytes) {
            h = addByte(h, b & 0xff);
        }
        return h;
    }

    private static long addByte(final long hash, final int b) {
        return (hash ^ b) * PRIME;
    }
}
