package io.incidentstream.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a command asks for, as a short digest: two commands with one id (one Idempotency-Key) are
 * the same request when their fingerprints are equal. It covers every field a caller sends (kind,
 * tenant, incident, and the changes), not who sent it nor when ({@code actor}, {@code at}), which a
 * retry may change. The encoding is written out field by field, length-prefixed, labels sorted,
 * so it does not depend on JSON field order or on a JSON library's settings, and it survives the
 * command's trip through {@code incident-commands}.
 *
 * <p>The version prefix lets a later encoding coexist with results recorded under this one: a
 * fingerprint of another version is not compared (the result answers as if it had none).
 */
public final class CommandFingerprint {
    static final String VERSION = "v1:";

    private CommandFingerprint() {}

    public static String of(final IncidentCommand c) {
        final StringBuilder canonical = new StringBuilder();
        field(canonical, "kind", c.kind().name());
        field(canonical, "tenantId", c.tenantId());
        field(canonical, "incidentId", c.incidentId());
        field(canonical, "title", c.title());
        field(canonical, "severity", c.severity() == null ? null : c.severity().name());
        field(canonical, "description", c.description());
        field(canonical, "assignee", c.assignee());
        field(canonical, "unassign", c.unassign().toString());
        for (Map.Entry<String, String> label : new TreeMap<>(c.labels()).entrySet()) {
            field(canonical, "label", label.getKey());
            field(canonical, "value", label.getValue());
        }
        field(canonical, "status", c.status() == null ? null : c.status().name());
        field(canonical, "note", c.note());
        return VERSION + sha256(canonical.toString());
    }

    /** Whether a stored fingerprint is {@code command}'s; a missing or other-version one is not compared. */
    static boolean matches(final String stored, final IncidentCommand command) {
        return stored == null || !stored.startsWith(VERSION) || stored.equals(of(command));
    }

    /** {@code name=<length>:<value>;}, or {@code name=-;} for null: no two field lists encode alike. */
    private static void field(final StringBuilder out, final String name, final String value) {
        out.append(name).append('=');
        if (value == null) {
            out.append('-');
        } else {
            out.append(value.length()).append(':').append(value);
        }
        out.append(';');
    }

    private static String sha256(final String text) {
        try {
            final byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
