package io.incidentstream.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * How every Kafka client of the app reaches the cluster: the bootstrap servers and the common client
 * settings ({@code security.protocol}, {@code sasl.*}, {@code ssl.*} …). Each client starts from
 * {@link #properties()} and adds its own, so none of them can be left without the credentials.
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> clientSettings) {

    public KafkaConnection {
        clientSettings = Map.copyOf(clientSettings);
    }

    /** A connection to a cluster that needs no settings beyond its address (the embedded broker, tests). */
    public static KafkaConnection plain(final String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, Map.of());
    }

    /** A fresh mutable map: the common settings and the bootstrap servers. */
    public Map<String, Object> properties() {
        final Map<String, Object> p = new HashMap<>(clientSettings);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }

    /** {@link #properties()} as {@link Properties}, for Kafka Streams. */
    public Properties asProperties() {
        final Properties p = new Properties();
        p.putAll(properties());
        return p;
    }
}
