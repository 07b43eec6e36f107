package io.incidentstream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InFlightLimitTest {

    @Test
    void shouldAnswer503WithRetryAfterBeyondTheLimitAndRecoverWhenAWriteEnds() throws Exception {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final InFlightLimit limit = new InFlightLimit(1);
        final Javalin app = Javalin.create(config -> {
            ErrorMapping.register(config.routes);
            config.routes.post("/slow", limit.around(ctx -> {
                entered.countDown();
                assertTrue(release.await(30, TimeUnit.SECONDS));
                ctx.status(202);
            }));
        });
        JavalinTest.test(app, (server, client) -> {
            final CompletableFuture<Integer> first =
                    CompletableFuture.supplyAsync(() -> client.post("/slow").code());
            assertTrue(entered.await(30, TimeUnit.SECONDS));
            final Response refused = client.post("/slow");
            assertEquals(503, refused.code());
            assertEquals("1", refused.headers().get("Retry-After").get(0));
            assertTrue(refused.body().string().contains("retry shortly"));
            release.countDown();
            assertEquals(202, first.get(30, TimeUnit.SECONDS));
            assertEquals(202, client.post("/slow").code(), "the permit came back");
        });
    }
}
