package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.config.Config;
import io.incidentstream.testkit.ApiClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One running incident-stream on loopback (embedded broker and HTTP on free ports) for the end-to-end
 * tests, and its {@link ApiClient}.
 */
final class TestApp implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(60);

    private final Application app;

    private TestApp(final Application app) {
        this.app = app;
    }

    /** Starts the application and waits until it is ready to ingest and answer. */
    static TestApp start(final Path dataDir, final String applicationId, final Map<String, String> extraEnv)
            throws InterruptedException {
        final Map<String, String> env = new HashMap<>(Map.of(
                "DATA_DIR",
                dataDir.toString(),
                "HTTP_PORT",
                "0",
                "EMBEDDED_KAFKA_PORT",
                "0",
                "APPLICATION_ID",
                applicationId,
                "TOPIC_PARTITIONS",
                "2"));
        env.putAll(extraEnv);
        final TestApp test = new TestApp(Application.start(Config.from(env)));
        await().atMost(WAIT).ignoreExceptions().until(() -> test.api().status("/health/ready") == 200);
        return test;
    }

    /**
     * The environment of one instance in a test that runs several (or kills one) against a shared
     * broker: loopback HTTP on {@code port}, which peers use too, its own data directory,
     * single-replica topics, a peer token, and a short session so a dead member is noticed quickly.
     */
    static Map<String, String> instanceEnv(
            final String bootstrapServers, final String applicationId, final int port, final Path dataDir) {
        final Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("APPLICATION_ID", applicationId);
        env.put("HTTP_HOST", "127.0.0.1");
        env.put("HTTP_PORT", Integer.toString(port));
        env.put("APPLICATION_SERVER", "127.0.0.1:" + port);
        env.put("DATA_DIR", dataDir.toString());
        env.put("TOPIC_REPLICATION_FACTOR", "1");
        env.put("PEER_TOKEN", applicationId + "-peer-secret");
        env.put("PEER_PORTS", "1024-65535"); // the instances of one test differ by port
        // as in production: a cursor one instance issued is checked by whichever serves the next page
        env.put("CURSOR_SECRET", applicationId + "-cursor-secret");
        env.put("KAFKA_STREAMS_SESSION_TIMEOUT_MS", "6000");
        env.put("KAFKA_STREAMS_HEARTBEAT_INTERVAL_MS", "1000");
        return env;
    }

    int port() {
        return app.httpPort();
    }

    String bootstrapServers() {
        return app.bootstrapServers();
    }

    /** The API of this instance, without a token. */
    ApiClient api() {
        return ApiClient.on(port());
    }

    /** The {@code data} of {@code GET /incidents?limit=100&<query>} (which must answer 200). */
    JsonNode incidents(final String query) throws IOException, InterruptedException {
        return api().json("/incidents?limit=100&" + query).get("data");
    }

    @Override
    public void close() {
        app.close();
    }
}
