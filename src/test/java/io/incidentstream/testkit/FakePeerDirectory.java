package io.incidentstream.testkit;

import io.incidentstream.query.PeerDirectory;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Group metadata as one instance ({@code self}) sees it, set by the test: which hosts serve the
 * stores and which host owns each partition. Successive {@link #peers()} calls can see different
 * host lists (a member restarting or joining between a first read and a retry): the rounds are used
 * in order and the last one repeats.
 */
public final class FakePeerDirectory implements PeerDirectory {
    private final String self;
    private final int partitionCount;
    private final Deque<List<String>> rounds = new ArrayDeque<>();
    private final Map<Integer, String> owners = new HashMap<>();
    private final Map<Integer, String> standbys = new HashMap<>();
    private int peersCalls;

    public FakePeerDirectory(final String self, final int partitionCount) {
        this.self = self;
        this.partitionCount = partitionCount;
    }

    /** A single instance: the only peer, owner of every partition. */
    public static FakePeerDirectory alone(final String self, final int partitionCount) {
        return new FakePeerDirectory(self, partitionCount).hosts(List.of(self)).ownerOfEvery(self);
    }

    /** From now on every {@link #peers()} call sees {@code hosts}. */
    public FakePeerDirectory hosts(final List<String> hosts) {
        rounds.clear();
        rounds.add(List.copyOf(hosts));
        return this;
    }

    /** The next {@link #peers()} call sees {@code hosts}; the calls after it, the hosts as before. */
    public FakePeerDirectory hostsOnce(final List<String> hosts) {
        rounds.addFirst(List.copyOf(hosts));
        return this;
    }

    public FakePeerDirectory owner(final int partition, final String host) {
        owners.put(partition, host);
        return this;
    }

    /** {@code host} keeps a standby copy of {@code partition}. */
    public FakePeerDirectory standby(final int partition, final String host) {
        standbys.put(partition, host);
        return this;
    }

    @Override
    public List<Peer> standbysOf(final int partition) {
        return Optional.ofNullable(standbys.get(partition)).map(this::peer).stream()
                .toList();
    }

    public FakePeerDirectory ownerOfEvery(final String host) {
        for (int p = 0; p < partitionCount; p++) {
            owners.put(p, host);
        }
        return this;
    }

    /** The partition has no active owner at the moment (between an owner's death and the reassignment). */
    public FakePeerDirectory noOwner(final int partition) {
        owners.remove(partition);
        return this;
    }

    public String self() {
        return self;
    }

    /** How often the metadata was read: a retry reads it again. */
    public int peersCalls() {
        return peersCalls;
    }

    @Override
    public List<Peer> peers() {
        if (rounds.isEmpty()) {
            throw new IllegalStateException("the test gave the directory no hosts");
        }
        peersCalls++;
        final List<String> hosts = rounds.size() > 1 ? rounds.poll() : rounds.peek();
        return hosts.stream().map(this::peer).toList();
    }

    @Override
    public Optional<Peer> ownerOf(final int partition) {
        return Optional.ofNullable(owners.get(partition)).map(this::peer);
    }

    @Override
    public int partitionCount() {
        return partitionCount;
    }

    private Peer peer(final String host) {
        return new Peer(host, host.equals(self));
    }
}
