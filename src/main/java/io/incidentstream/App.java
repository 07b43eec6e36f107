package io.incidentstream;

import io.incidentstream.config.Config;
import io.incidentstream.config.ConfigException;
import io.incidentstream.config.KafkaClientSettings;
import io.incidentstream.runtime.Application;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: read the environment, start, stop cleanly on SIGTERM. */
public final class App {
    private static final Logger LOG = LoggerFactory.getLogger(App.class);

    private App() {}

    public static void main(final String[] args) throws InterruptedException {
        final Config config;
        try {
            config = Config.from(System.getenv());
        } catch (ConfigException e) {
            LOG.error(e.getMessage());
            System.exit(2);
            return;
        }
        final var ignored = KafkaClientSettings.unknown(System.getenv());
        if (!ignored.isEmpty()) {
            LOG.warn("Ignoring {}: not Kafka client settings (README \"Secured Kafka\")", ignored);
        }
        final Application app;
        try {
            app = Application.start(config);
        } catch (RuntimeException e) {
            LOG.error("incident-stream failed to start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            LOG.info("Shutting down");
                            app.close();
                        },
                        "shutdown"));
    }
}
