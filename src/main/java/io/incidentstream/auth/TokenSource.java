package io.incidentstream.auth;

/** The tokens valid right now; {@link TokenFile} replaces them when the file changes. */
@FunctionalInterface
public interface TokenSource {
    TokenStore current();
}
