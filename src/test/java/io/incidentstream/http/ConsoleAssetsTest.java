package io.incidentstream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.http.HttpFakes.RecordingQueries;
import io.incidentstream.http.HttpFakes.RecordingSink;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The console's files as a browser gets them: self-contained, under a strict Content-Security-Policy. */
class ConsoleAssetsTest {
    private static final Pattern REFERENCE = Pattern.compile("(?:src|href)=\"([^\"]+)\"|from '([^']+)'");

    private static String csp(final Response r) {
        return header(r, "Content-Security-Policy");
    }

    private static String header(final Response r, final String name) {
        return r.headers().get(name).get(0);
    }

    @Test
    void shouldServeThePageAndEveryFileItLoadsFromThisOriginOnly() {
        JavalinTest.test(HttpFakes.app(new RecordingQueries(), new RecordingSink()), (server, client) -> {
            final Response page = client.get("/");
            assertEquals(200, page.code());
            assertTrue(header(page, "Content-Type").startsWith("text/html"));
            final List<String> pending = new ArrayList<>(references(page.body().string()));
            final List<String> seen = new ArrayList<>();
            while (!pending.isEmpty()) {
                final String ref = pending.remove(0);
                assertFalse(ref.contains("//"), "no CDN, no external font: " + ref);
                final String path = ref.startsWith("./") ? "/console/" + ref.substring(2) : ref;
                if (seen.contains(path)) {
                    continue;
                }
                seen.add(path);
                final Response asset = client.get(path);
                assertEquals(200, asset.code(), path);
                assertEquals("nosniff", header(asset, "X-Content-Type-Options"));
                pending.addAll(references(asset.body().string()));
            }
            assertTrue(seen.containsAll(List.of(
                    "/console/app.js",
                    "/console/api.js",
                    "/console/stream.js",
                    "/console/view.js",
                    "/console/console.css")));
        });
    }

    @Test
    void shouldForbidInlineScriptsAndStylesAndOtherOrigins() {
        JavalinTest.test(HttpFakes.app(new RecordingQueries(), new RecordingSink()), (server, client) -> {
            final String policy = csp(client.get("/"));
            assertTrue(policy.contains("script-src 'self'"), policy);
            assertTrue(policy.contains("connect-src 'self'"), policy);
            assertTrue(policy.contains("frame-ancestors 'none'"), policy);
            assertFalse(policy.contains("unsafe-inline"), policy);
            assertFalse(policy.contains("unsafe-eval"), policy);
            final String html = client.get("/").body().string();
            assertFalse(
                    Pattern.compile("<script>|<script(?![^>]*src=)[^>]*>")
                            .matcher(html)
                            .find(),
                    "no inline script");
            assertFalse(html.contains("style=\""), "no inline style");
            assertFalse(Pattern.compile("\\son[a-z]+=").matcher(html).find(), "no inline event handler");
            assertEquals(404, client.get("/console/index.html").code(), "the page only at /");
            assertEquals(404, client.get("/console/..%2Fopenapi.json").code());
        });
    }

    private static List<String> references(final String text) {
        final List<String> refs = new ArrayList<>();
        final Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            refs.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return refs;
    }
}
