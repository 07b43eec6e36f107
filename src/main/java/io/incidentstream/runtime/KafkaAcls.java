package io.incidentstream.runtime;

import io.incidentstream.topology.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs the app's principal needs on a cluster with an authorizer, and nothing more: the secured
 * cluster test grants exactly these, and the README prints them as {@code kafka-acls.sh} commands.
 *
 * <p>{@code incident-commands} is written only by the app: whoever can write it can change any
 * tenant's incidents, since the topology trusts what it reads there. Grant Write on it to the app's
 * principal alone.
 */
public final class KafkaAcls {
    private KafkaAcls() {}

    /** One grant: operations on a resource (a literal name or a prefix). */
    public record Grant(ResourceType type, String name, PatternType pattern, List<AclOperation> operations) {}

    /** What the app does with each resource, for an application id. */
    public static List<Grant> required(final String applicationId) {
        final List<Grant> grants = new ArrayList<>();
        // Read by the topology, written by the HTTP ingest and write paths (and the rules API); created at first start.
        for (String topic : List.of(Topics.ALERTS, Topics.INCIDENT_COMMANDS, Topics.GROUPING_RULES)) {
            grants.add(literal(
                    ResourceType.TOPIC,
                    topic,
                    AclOperation.READ,
                    AclOperation.WRITE,
                    AclOperation.DESCRIBE,
                    AclOperation.CREATE));
        }
        // Written by the topology; read back by the live stream (GET /incidents/stream).
        grants.add(literal(
                ResourceType.TOPIC,
                Topics.INCIDENTS,
                AclOperation.READ,
                AclOperation.WRITE,
                AclOperation.DESCRIBE,
                AclOperation.CREATE));
        // Silences: written by the API, read whole by every instance (no consumer group).
        grants.add(literal(
                ResourceType.TOPIC,
                Topics.SILENCES,
                AclOperation.READ,
                AclOperation.WRITE,
                AclOperation.DESCRIBE,
                AclOperation.CREATE));
        // Written by the topology only.
        grants.add(literal(
                ResourceType.TOPIC, Topics.ALERTS_DLQ, AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.CREATE));
        // Written by the topology; read by the webhook deliverer.
        grants.add(literal(
                ResourceType.TOPIC,
                Topics.INCIDENT_EVENTS,
                AclOperation.READ,
                AclOperation.WRITE,
                AclOperation.DESCRIBE,
                AclOperation.CREATE));
        // Webhook subscriptions (written by the API, read whole by every instance) and pending retries.
        for (String topic : List.of(Topics.WEBHOOK_SUBSCRIPTIONS, Topics.WEBHOOK_RETRIES)) {
            grants.add(literal(
                    ResourceType.TOPIC,
                    topic,
                    AclOperation.READ,
                    AclOperation.WRITE,
                    AclOperation.DESCRIBE,
                    AclOperation.CREATE));
        }
        // Kafka Streams' own repartition and changelog topics, created, read, written and purged by it.
        grants.add(new Grant(ResourceType.TOPIC, applicationId + "-", PatternType.PREFIXED, List.of(AclOperation.ALL)));
        // The consumer group is the application id.
        grants.add(literal(ResourceType.GROUP, applicationId, AclOperation.READ, AclOperation.DESCRIBE));
        // The webhook deliverer's groups: <application id>-webhooks and <application id>-webhooks-retries.
        grants.add(new Grant(
                ResourceType.GROUP,
                applicationId + "-webhooks",
                PatternType.PREFIXED,
                List.of(AclOperation.READ, AclOperation.DESCRIBE)));
        // exactly_once_v2: one transactional producer per stream thread, ids prefixed by the application id.
        grants.add(new Grant(
                ResourceType.TRANSACTIONAL_ID,
                applicationId + "-",
                PatternType.PREFIXED,
                List.of(AclOperation.WRITE, AclOperation.DESCRIBE)));
        return List.copyOf(grants);
    }

    /** The grants as bindings for {@code Admin#createAcls}, allowing {@code principal} from any host. */
    public static List<AclBinding> bindings(final String principal, final String applicationId) {
        final List<AclBinding> bindings = new ArrayList<>();
        for (Grant g : required(applicationId)) {
            for (AclOperation op : g.operations()) {
                bindings.add(new AclBinding(
                        new ResourcePattern(g.type(), g.name(), g.pattern()),
                        new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)));
            }
        }
        return bindings;
    }

    /** The grants as {@code kafka-acls.sh} commands, for the README. */
    public static String commands(final String principal, final String applicationId) {
        return required(applicationId).stream()
                .map(g -> "kafka-acls.sh --bootstrap-server \"$BOOTSTRAP\" --command-config admin.properties --add"
                        + " --allow-principal " + principal
                        + g.operations().stream()
                                .map(op -> " --operation " + camel(op.name()))
                                .collect(Collectors.joining())
                        + " " + resource(g))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static Grant literal(final ResourceType type, final String name, final AclOperation... ops) {
        return new Grant(type, name, PatternType.LITERAL, List.of(ops));
    }

    private static String resource(final Grant g) {
        final String flag = switch (g.type()) {
            case TOPIC -> "--topic ";
            case GROUP -> "--group ";
            case TRANSACTIONAL_ID -> "--transactional-id ";
            default -> throw new IllegalArgumentException("no kafka-acls.sh flag for " + g.type());
        };
        return flag + g.name() + (g.pattern() == PatternType.PREFIXED ? " --resource-pattern-type prefixed" : "");
    }

    /** {@code DESCRIBE} → {@code Describe}, as kafka-acls.sh spells operations. */
    private static String camel(final String upper) {
        return upper.charAt(0) + upper.substring(1).toLowerCase(Locale.ROOT);
    }
}
