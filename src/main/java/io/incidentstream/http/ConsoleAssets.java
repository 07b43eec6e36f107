package io.incidentstream.http;

import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The web console: a page and its ES modules and stylesheet, resources inside the jar (no CDN, no
 * external font: it works offline), read once at start-up and served as-is. {@code GET /} is the
 * page; {@code GET /console/{asset}} the files it loads. They hold no data, so they are open with
 * auth on: the page asks for a token and sends it on every API call.
 *
 * <p>Every answer carries a Content-Security-Policy that allows scripts, styles and connections from
 * this origin only and no inline script or style, so an incident title or label that slipped
 * through as markup could not run; the modules build the DOM with {@code textContent}, never HTML
 * strings.
 */
final class ConsoleAssets {
    static final String PAGE = "/";
    static final String PREFIX = "/console/";

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final String RESOURCES = "/console/";

    /** Every asset, by name, with its content type: a closed set, so a path never reaches the class loader. */
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "console.css", "text/css; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "api.js", "text/javascript; charset=utf-8",
            "stream.js", "text/javascript; charset=utf-8",
            "view.js", "text/javascript; charset=utf-8");

    private final Map<String, byte[]> bodies;

    private ConsoleAssets(final Map<String, byte[]> bodies) {
        this.bodies = bodies;
    }

    /** Reads every asset; a build without one is broken, so this fails at start-up, not at the first request. */
    static ConsoleAssets load() {
        final Map<String, byte[]> bodies = new java.util.HashMap<>();
        for (String name : TYPES.keySet()) {
            try (InputStream in = ConsoleAssets.class.getResourceAsStream(RESOURCES + name)) {
                if (in == null) {
                    throw new IllegalStateException("console asset " + name + " is missing from the build");
                }
                bodies.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read console asset " + name, e);
            }
        }
        return new ConsoleAssets(Map.copyOf(bodies));
    }

    /** Whether a request for this path is one of the console's, open with auth on. */
    static boolean isConsole(final String method, final String path) {
        return (method.equals("GET") || method.equals("HEAD")) && (path.equals(PAGE) || path.startsWith(PREFIX));
    }

    void page(final Context ctx) {
        serve(ctx, "index.html");
    }

    void asset(final Context ctx) {
        final String name = ctx.pathParam("asset");
        if (name.equals("index.html") || !TYPES.containsKey(name)) {
            throw new NotFoundResponse("no console asset " + name);
        }
        serve(ctx, name);
    }

    private void serve(final Context ctx, final String name) {
        ctx.header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-cache")
                .contentType(TYPES.get(name))
                .result(bodies.get(name));
    }
}
