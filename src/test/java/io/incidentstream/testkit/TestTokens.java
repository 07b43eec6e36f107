package io.incidentstream.testkit;

import io.incidentstream.auth.TokenHashes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Bearer tokens of the integration tests and the token file ({@code AUTH_TOKENS_FILE}) that grants
 * them. By convention a tenant's token is {@code <tenant>-token}, so a client needs only the tenant's
 * name ({@link ApiClient#as}).
 */
public final class TestTokens {
    private TestTokens() {}

    /** A token of the file: its secret, who it names as the actor, and the tenant it acts for. */
    public record Grant(String token, String subject, String tenant) {}

    /** The token of {@code tenant} by the tests' convention. */
    public static String of(final String tenant) {
        return tenant + "-token";
    }

    /** One grant per tenant: the conventional token, subject {@code <tenant>-robot}. */
    public static List<Grant> perTenant(final List<String> tenants) {
        return tenants.stream()
                .map(tenant -> new Grant(of(tenant), tenant + "-robot", tenant))
                .toList();
    }

    /**
     * Writes a token file giving each grant every scope an API client needs, only hashes on disk as
     * in production. The file is replaced in one atomic move, so an instance that watches it for
     * changes never reads half of it. Returns {@code file}.
     */
    public static Path write(final Path file, final List<Grant> grants) {
        final StringBuilder yaml = new StringBuilder("tokens:\n");
        for (Grant grant : grants) {
            yaml.append("  - subject: ")
                    .append(grant.subject())
                    .append("\n    tenant: ")
                    .append(grant.tenant())
                    .append(
                            "\n    scopes: [incidents:read, incidents:write, alerts:write, silences:write]\n    sha256: ")
                    .append(TokenHashes.sha256Hex(grant.token()))
                    .append('\n');
        }
        final Path written = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(written, yaml);
            Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
        return file;
    }
}
