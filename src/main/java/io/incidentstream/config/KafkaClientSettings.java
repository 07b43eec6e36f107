package io.incidentstream.config;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Settings for every Kafka client the app makes (Streams, the ingest and command producers, the admin
 * clients): {@code KAFKA_SECURITY_PROTOCOL=SASL_SSL} → {@code security.protocol}, and so on for
 * {@code sasl.*}, {@code ssl.*} and any other producer, consumer or admin setting. Only names Kafka's
 * clients define are taken: Kubernetes injects {@code KAFKA_PORT}, {@code KAFKA_SERVICE_HOST}… into every
 * pod of a namespace that has a Service named {@code kafka}, and those must not become client settings.
 */
public final class KafkaClientSettings {
    /** The prefix of a client setting's variable. */
    public static final String PREFIX = "KAFKA_";

    private static final Set<String> OWN = Set.of(Settings.KAFKA_BOOTSTRAP_SERVERS.name());
    private static final Set<String> CLIENT_SETTINGS = clientSettingNames();

    private KafkaClientSettings() {}

    /** The client settings the environment gives, by Kafka name (sorted, so logs and tests are stable). */
    public static Map<String, String> from(final Map<String, String> env) {
        final Map<String, String> settings = new TreeMap<>();
        env.forEach((name, value) -> {
            final String key = clientKey(name);
            if (key != null && CLIENT_SETTINGS.contains(key)) {
                settings.put(key, value);
            }
        });
        return Map.copyOf(settings);
    }

    /** Variables with the prefix that name no client setting (ignored, and worth a warning). */
    public static List<String> unknown(final Map<String, String> env) {
        return env.keySet().stream()
                .filter(name -> clientKey(name) != null && !CLIENT_SETTINGS.contains(clientKey(name)))
                .sorted()
                .toList();
    }

    /** Whether this variable is a client setting the app passes on. */
    public static boolean isClientSetting(final String name) {
        final String key = clientKey(name);
        return key != null && CLIENT_SETTINGS.contains(key);
    }

    /** {@code KAFKA_SASL_JAAS_CONFIG} → {@code sasl.jaas.config}; null for names that are not candidates. */
    private static String clientKey(final String name) {
        if (!name.startsWith(PREFIX)
                || name.startsWith(Settings.STREAMS_PREFIX)
                || OWN.contains(name)
                || name.length() == PREFIX.length()) {
            return null;
        }
        return name.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    private static Set<String> clientSettingNames() {
        final Set<String> names = new HashSet<>();
        names.addAll(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        names.remove(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        return Set.copyOf(names);
    }
}
