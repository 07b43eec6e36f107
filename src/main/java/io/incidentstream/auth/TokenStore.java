package io.incidentstream.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The tokens of one version of {@code AUTH_TOKENS_FILE}, immutable. A presented token is hashed
 * and looked up by its hash; the stored hash is then compared with {@link MessageDigest#isEqual},
 * so no comparison of secret bytes depends on where they first differ. The plain tokens are never
 * known to the server.
 *
 * <p>The file, JSON or YAML (YAML is a superset, so one parser reads both):
 * <pre>
 * tokens:
 *   - subject: ci-bot                 # the actor on timelines
 *     tenant: acme
 *     scopes: [alerts:write]          # incidents:read, incidents:write, alerts:write, silences:write, admin
 *     sha256: 9f86d081884c7d65…       # hex SHA-256 of the token (HashToken prints it)
 * </pre>
 */
public final class TokenStore {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Map<String, Principal> byHash;

    private TokenStore(final Map<String, Principal> byHash) {
        this.byHash = Map.copyOf(byHash);
    }

    public static TokenStore of(final List<Principal> principals) {
        final Map<String, Principal> byHash = new HashMap<>();
        principals.forEach(p -> byHash.put(p.tokenHash(), p));
        return new TokenStore(byHash);
    }

    /**
     * Parses a token file's content.
     *
     * @throws InvalidTokenFileException naming every bad entry, so one fix covers all of them
     */
    public static TokenStore parse(final byte[] content) {
        final JsonNode root;
        try {
            root = YAML.readTree(content);
        } catch (IOException e) {
            throw new InvalidTokenFileException("not valid JSON or YAML: " + e.getMessage());
        }
        final JsonNode tokens = root == null ? null : root.get("tokens");
        if (tokens == null || !tokens.isArray()) {
            throw new InvalidTokenFileException("expected an object with a \"tokens\" array");
        }
        final List<String> errors = new ArrayList<>();
        final Map<String, Principal> byHash = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            entry(tokens.get(i), "tokens[" + i + "]", errors).ifPresent(p -> {
                if (byHash.putIfAbsent(p.tokenHash(), p) != null) {
                    errors.add("token of " + p.subject() + " appears twice");
                }
            });
        }
        if (!errors.isEmpty()) {
            throw new InvalidTokenFileException(String.join("; ", errors));
        }
        return new TokenStore(byHash);
    }

    private static Optional<Principal> entry(final JsonNode node, final String where, final List<String> errors) {
        final int before = errors.size();
        final String subject = text(node, "subject");
        final String tenant = text(node, "tenant");
        final String hash = text(node, "sha256");
        if (subject == null || subject.isBlank()) {
            errors.add(where + ": subject is required");
        }
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            errors.add(where + ": tenant must be 1-64 of [A-Za-z0-9._-], starting with a letter or digit");
        }
        if (hash == null || !HEX_SHA256.matcher(hash).matches()) {
            errors.add(where + ": sha256 must be 64 lower-case hex digits (the token's SHA-256, never the token)");
        }
        final Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        final JsonNode list = node == null ? null : node.get("scopes");
        if (list == null || !list.isArray() || list.isEmpty()) {
            errors.add(where + ": scopes must be a non-empty list");
        } else {
            list.forEach(s -> Scope.parse(s.asText())
                    .ifPresentOrElse(scopes::add, () -> errors.add(where + ": unknown scope " + s.asText())));
        }
        return errors.size() > before ? Optional.empty() : Optional.of(new Principal(subject, tenant, scopes, hash));
    }

    private static String text(final JsonNode node, final String field) {
        final JsonNode value = node == null ? null : node.get(field);
        return value == null || !value.isValueNode() ? null : value.asText();
    }

    /** The principal of {@code token}, if it is one of this file's. */
    public Optional<Principal> authenticate(final String token) {
        final byte[] presented = TokenHashes.sha256(token);
        final Principal candidate = byHash.get(HexFormat.of().formatHex(presented));
        if (candidate == null || !MessageDigest.isEqual(HexFormat.of().parseHex(candidate.tokenHash()), presented)) {
            return Optional.empty();
        }
        return Optional.of(candidate);
    }

    public int size() {
        return byHash.size();
    }
}
