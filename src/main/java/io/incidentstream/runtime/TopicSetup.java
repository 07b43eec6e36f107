package io.incidentstream.runtime;

import io.incidentstream.config.Config;
import io.incidentstream.topology.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the application's topics when missing, with explicit partition counts, and waits until
 * every partition answers ListOffsets: {@code createTopics().all()} returns before partitions are
 * served, and a producer sending at once can stall for {@code delivery.timeout.ms}.
 */
public final class TopicSetup {
    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

    private TopicSetup() {}

    /** Ensures the topics exist and returns the partition count of {@code alerts}. */
    public static int ensure(final Admin admin, final Config config, final Duration timeout)
            throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final Set<String> existing = get(admin.listTopics().names());
        final List<NewTopic> missing = new ArrayList<>();
        for (String topic : Topics.EXTERNAL) {
            if (!existing.contains(topic)) {
                missing.add(newTopic(topic, config));
            }
        }
        if (!missing.isEmpty()) {
            try {
                admin.createTopics(missing).all().get();
                LOG.info(
                        "Created topics {} with {} partitions",
                        missing.stream().map(NewTopic::name).toList(),
                        config.topicPartitions());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw failure(
                            "cannot create topics "
                                    + missing.stream().map(NewTopic::name).toList(),
                            e.getCause());
                }
            }
        }
        final Map<String, TopicDescription> described = awaitServed(admin, deadline);
        final int alertPartitions = described.get(Topics.ALERTS).partitions().size();
        if (alertPartitions != config.topicPartitions()) {
            LOG.warn(
                    "Topic {} has {} partitions, TOPIC_PARTITIONS says {}; using the topic as it is",
                    Topics.ALERTS,
                    alertPartitions,
                    config.topicPartitions());
        }
        return alertPartitions;
    }

    private static NewTopic newTopic(final String name, final Config config) {
        final Optional<Short> replication =
                config.topicReplicationFactor() > 0 ? Optional.of(config.topicReplicationFactor()) : Optional.empty();
        final NewTopic topic = new NewTopic(name, Optional.of(config.topicPartitions()), replication);
        final Map<String, String> configs = new HashMap<>();
        if (name.equals(Topics.INCIDENTS)
                || name.equals(Topics.SILENCES)
                || name.equals(Topics.WEBHOOK_SUBSCRIPTIONS)
                || name.equals(Topics.GROUPING_RULES)) {
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        return topic.configs(configs);
    }

    /**
     * Describes the topics and lists an offset of every partition, retrying until both answer:
     * right after creation the broker may not know the topics yet (UnknownTopicOrPartition), and
     * a partition without a leader cannot take writes.
     */
    private static Map<String, TopicDescription> awaitServed(final Admin admin, final long deadline)
            throws InterruptedException {
        while (true) {
            try {
                final Map<String, TopicDescription> topics =
                        admin.describeTopics(Topics.EXTERNAL).allTopicNames().get();
                final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
                topics.values()
                        .forEach(d -> d.partitions()
                                .forEach(p ->
                                        request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
                admin.listOffsets(request).all().get();
                return topics;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof AuthenticationException || e.getCause() instanceof AuthorizationException) {
                    throw failure("cannot describe topics", e.getCause()); // retrying will not help
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "topic partitions not served in time: "
                                    + e.getCause().getMessage(),
                            e.getCause());
                }
                Thread.sleep(100);
            }
        }
    }

    private static <T> T get(final org.apache.kafka.common.KafkaFuture<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw failure("cannot list topics", e.getCause());
        }
    }

    /**
     * What went wrong, said so that an operator knows what to change: the credentials (every client
     * uses the same {@code KAFKA_*} settings, so the first admin call is where wrong ones show) or the
     * ACLs, else Kafka's own message.
     */
    static IllegalStateException failure(final String what, final Throwable cause) {
        if (cause instanceof AuthenticationException) {
            return new IllegalStateException(
                    what + ": Kafka refused this app's credentials (" + cause.getMessage() + "). Check"
                            + " KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM and KAFKA_SASL_JAAS_CONFIG (or the"
                            + " KAFKA_SSL_* settings) against the cluster's listener",
                    cause);
        }
        if (cause instanceof AuthorizationException) {
            return new IllegalStateException(
                    what + ": Kafka denied it (" + cause.getMessage() + "). Grant the app's principal the ACLs"
                            + " listed in the README's \"Secured Kafka\" section, or create the topics beforehand",
                    cause);
        }
        return new IllegalStateException(what + ": " + cause.getMessage(), cause);
    }
}
