package io.incidentstream.auth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Prints the SHA-256 of a token and a ready token-file entry:
 * <pre>
 * java -cp target/incident-stream.jar io.incidentstream.auth.HashToken my-secret-token
 * echo -n my-secret-token | java -cp target/incident-stream.jar io.incidentstream.auth.HashToken -
 * java -cp target/incident-stream.jar io.incidentstream.auth.HashToken --generate
 * </pre>
 * With {@code -} the token is the first line of stdin (keeps it out of shell history);
 * {@code --generate} makes a random 32-byte token and prints it too.
 */
public final class HashToken {
    private HashToken() {}

    public static void main(final String[] args) throws IOException {
        System.exit(run(
                args,
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                System.out,
                System.err));
    }

    static int run(final String[] args, final BufferedReader stdin, final PrintStream out, final PrintStream err)
            throws IOException {
        if (args.length != 1) {
            err.println("usage: HashToken <token> | HashToken - (token on stdin) | HashToken --generate");
            return 2;
        }
        final String token;
        if ("--generate".equals(args[0])) {
            final byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            out.println("token:  " + token);
        } else if ("-".equals(args[0])) {
            final String line = stdin.readLine();
            token = line == null ? "" : line.strip();
        } else {
            token = args[0];
        }
        if (token.isEmpty()) {
            err.println("the token is empty");
            return 2;
        }
        final String hash = TokenHashes.sha256Hex(token);
        out.println("sha256: " + hash);
        out.println(
                "entry:  {\"subject\": \"CHANGE-ME\", \"tenant\": \"default\", \"scopes\": [\"incidents:read\"], \"sha256\": \""
                        + hash + "\"}");
        return 0;
    }
}
