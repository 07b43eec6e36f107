package io.incidentstream.runtime;

import static org.awaitility.Awaitility.await;

import io.incidentstream.config.Config;
import io.incidentstream.testkit.ApiClient;
import io.incidentstream.testkit.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Two instances with auth on over one in-JVM broker, for ITs of what crosses instances: each with
 * {@link TestApp#instanceEnv}, no standbys, the given tokens file and {@code extraEnv}; started and
 * waited on until both answer an {@code acme} list with its count (so both serve their partitions).
 */
final class TwoInstances implements AutoCloseable {
    private final EmbeddedKafka broker;
    private final Application a;
    private final Application b;
    final ApiClient apiA;
    final ApiClient apiB;

    private TwoInstances(final EmbeddedKafka broker, final Application a, final Application b) {
        this.broker = broker;
        this.a = a;
        this.b = b;
        this.apiA = ApiClient.on(a.httpPort());
        this.apiB = ApiClient.on(b.httpPort());
    }

    /**
     * @param partitions the broker's default partition count
     * @param tokens     the {@code AUTH_TOKENS_FILE} both instances read
     */
    static TwoInstances start(
            final Path dir,
            final String applicationId,
            final int partitions,
            final Path tokens,
            final Map<String, String> extraEnv,
            final Duration wait)
            throws Exception {
        final EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"), 0, partitions);
        Application a = null;
        try {
            a = Application.start(
                    Config.from(env(broker, applicationId, Ports.freePort(), dir.resolve("a"), tokens, extraEnv)));
            final Application b = Application.start(
                    Config.from(env(broker, applicationId, Ports.freePort(), dir.resolve("b"), tokens, extraEnv)));
            final TwoInstances both = new TwoInstances(broker, a, b);
            await().atMost(wait)
                    .ignoreExceptions()
                    .until(() -> List.of(both.apiA, both.apiB).stream()
                            .allMatch(api -> api.as("acme").status("/incidents?includeCount=true") == 200));
            return both;
        } catch (Exception | Error e) {
            if (a != null) {
                a.close();
            }
            broker.close();
            throw e;
        }
    }

    private static Map<String, String> env(
            final EmbeddedKafka broker,
            final String applicationId,
            final int port,
            final Path dataDir,
            final Path tokens,
            final Map<String, String> extraEnv) {
        final Map<String, String> env = TestApp.instanceEnv(broker.bootstrapServers(), applicationId, port, dataDir);
        env.put("NUM_STANDBY_REPLICAS", "0");
        env.put("AUTH_TOKENS_FILE", tokens.toString());
        env.putAll(extraEnv);
        return env;
    }

    @Override
    public void close() {
        a.close();
        b.close();
        broker.close();
    }
}
