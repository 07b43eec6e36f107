package io.incidentstream.cluster;

import io.incidentstream.query.PeerDirectory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Peers from Kafka Streams' metadata: every instance of the application id advertises its
 * {@code application.server}, and the group assignment says which one runs each partition's active
 * task. Nothing is configured by hand; scaling out is starting another instance.
 */
public final class StreamsPeerDirectory implements PeerDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(StreamsPeerDirectory.class);

    private final KafkaStreams streams;
    private final HostInfo self;
    private final String store;
    private final String inputTopic;
    private final int partitionCount;
    private final IntPredicate allowedPorts;
    private final Set<HostInfo> refused = ConcurrentHashMap.newKeySet();

    /**
     * @param store        a store every task has, whose metadata lists the instances running tasks
     * @param inputTopic   the topic whose partitioning decides which task owns a key
     * @param allowedPorts the ports another member may announce ({@code PEER_PORTS})
     */
    public StreamsPeerDirectory(
            final KafkaStreams streams,
            final String applicationServer,
            final String store,
            final String inputTopic,
            final int partitionCount,
            final IntPredicate allowedPorts) {
        this.streams = streams;
        this.allowedPorts = allowedPorts;
        this.store = store;
        this.self = HostInfo.buildFromEndpoint(applicationServer);
        this.inputTopic = inputTopic;
        this.partitionCount = partitionCount;
    }

    @Override
    public List<Peer> peers() {
        final List<Peer> peers = new ArrayList<>();
        boolean selfListed = false;
        for (StreamsMetadata m : metadata()) {
            final boolean isSelf = m.hostInfo().equals(self);
            selfListed |= isSelf;
            peers.add(new Peer(hostPort(m.hostInfo()), isSelf));
        }
        if (!selfListed) {
            // Not yet (or no longer) in the assignment: answering for no partitions still lets the
            // coverage check decide instead of silently leaving this instance out.
            peers.add(new Peer(hostPort(self), true));
        }
        return peers;
    }

    @Override
    public Optional<Peer> ownerOf(final int partition) {
        final TopicPartition tp = new TopicPartition(inputTopic, partition);
        for (StreamsMetadata m : metadata()) {
            if (m.topicPartitions().contains(tp)) {
                return Optional.of(new Peer(hostPort(m.hostInfo()), m.hostInfo().equals(self)));
            }
        }
        return Optional.empty();
    }

    @Override
    public List<Peer> standbysOf(final int partition) {
        final TopicPartition tp = new TopicPartition(inputTopic, partition);
        final List<Peer> standbys = new ArrayList<>();
        for (StreamsMetadata m : metadata()) {
            if (m.standbyTopicPartitions().contains(tp)) {
                final Peer peer = new Peer(hostPort(m.hostInfo()), m.hostInfo().equals(self));
                if (peer.self()) {
                    standbys.add(0, peer);
                } else {
                    standbys.add(peer);
                }
            }
        }
        return standbys;
    }

    @Override
    public int partitionCount() {
        return partitionCount;
    }

    /**
     * The group's members as Kafka Streams reports them, without those announcing a port this instance
     * may not call: each member states its own {@code application.server}, and calls to it carry the
     * peer token, so a member (or a client with the group's ACL) naming another port is left out. Its
     * partitions are then uncovered, and lists say so with a 503 rather than leave them out silently.
     */
    private Collection<StreamsMetadata> metadata() {
        final KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
            return List.of();
        }
        final List<StreamsMetadata> members = new ArrayList<>();
        for (StreamsMetadata m : streams.streamsMetadataForStore(store)) {
            if (m.hostInfo().equals(self) || allowedPorts.test(m.hostInfo().port())) {
                members.add(m);
            } else if (refused.add(m.hostInfo())) {
                LOG.warn(
                        "Group member {} announces a port outside PEER_PORTS: not calling it; lists needing its"
                                + " partitions answer 503 until PEER_PORTS allows it or it leaves",
                        hostPort(m.hostInfo()));
            }
        }
        return members;
    }

    private static String hostPort(final HostInfo host) {
        return host.host() + ":" + host.port();
    }
}
