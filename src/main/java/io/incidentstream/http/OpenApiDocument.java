package io.incidentstream.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI 3.1 document of the public API, kept as the resource {@code openapi.json} and served
 * byte for byte: a hand-kept contract, not generated from code, and kept true by a test that
 * validates real responses of the running application against it.
 */
final class OpenApiDocument {
    static final String PATH = "/openapi.json";
    private static final String RESOURCE = "/openapi.json";

    private OpenApiDocument() {}

    /** Reads the document; a build without it is broken, so this fails at start-up, not at the first request. */
    static byte[] load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
