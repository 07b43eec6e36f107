package io.incidentstream.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import io.javalin.http.Context;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/**
 * The catch-all exception handler on a request whose response Jetty has already recycled (a live
 * stream whose client left): every call on the context throws, as Javalin's does then. The handler
 * must not throw, or Javalin queues the handling of its exception again, without end (seen: 245,000
 * log lines in two test classes, 2.5 GB in one CI run).
 */
class ErrorMappingGoneResponseTest {

    @Test
    void shouldNotThrowWhenTheResponseIsGone() {
        final Context gone = (Context) Proxy.newProxyInstance(
                Context.class.getClassLoader(), new Class<?>[] {Context.class}, (proxy, method, args) -> {
                    throw new IllegalStateException("Response does not exist (likely recycled)");
                });
        assertDoesNotThrow(() -> ErrorMapping.unhandled(new IllegalStateException("from the ERROR task"), gone));
    }
}
