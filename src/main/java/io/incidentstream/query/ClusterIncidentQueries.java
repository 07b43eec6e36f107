package io.incidentstream.query;

import io.incidentstream.errors.BadRequestException;
import io.incidentstream.errors.NotFoundException;
import io.incidentstream.errors.UnavailableException;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentId;
import io.incidentstream.model.Texts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The list and get every client sees, whichever instance it calls.
 *
 * <p>List: scatter the same query and cursor to every instance in parallel (this one answers
 * locally), gather their {@link LocalPage}s, and check coverage: the partitions they served must
 * be every partition of the input topic exactly once. Actives answer first; partitions whose
 * active did not (its instance restarting, a task moving, a timeout) are then asked, by name, of an
 * instance keeping a standby copy within {@code MAX_READ_STALENESS}, so each partition still has
 * exactly one source and nothing is counted twice. Still a gap means the page would be partial, so
 * metadata is read again and the whole round retried once, then 503.
 *
 * <p>Get: the id names its partition, so only the owner is asked, and if it cannot answer, a standby.
 */
public final class ClusterIncidentQueries implements IncidentQueries {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterIncidentQueries.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private final LocalIncidentQueries local;
    private final PeerDirectory directory;
    private final PeerClient peers;
    private final PageAssembler assembler;

    public ClusterIncidentQueries(
            final LocalIncidentQueries local,
            final PeerDirectory directory,
            final PeerClient peers,
            final PageAssembler assembler) {
        this.local = local;
        this.directory = directory;
        this.peers = peers;
        this.assembler = assembler;
    }

    @Override
    public IncidentPage list(final ListQuery query) {
        local.checkCountable(query);
        Gap gap = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            final List<LocalPage> pages = new ArrayList<>();
            gap = gather(query, pages);
            if (gap != null && gap.twice().isEmpty()) {
                gap = fromStandbys(query, gap, pages);
            }
            if (gap == null) {
                return assembler.assemble(query, pages);
            }
            LOG.debug("List round {} incomplete: {}", attempt, gap.forOperator());
        }
        if (gap.failedPeers().isEmpty()) {
            LOG.info("List answered 503, the group's pages were incomplete twice: {}", gap.forOperator());
        } else {
            LOG.warn("List answered 503, the group's pages were incomplete twice: {}", gap.forOperator());
        }
        throw new UnavailableException(
                "the list would be incomplete (" + gap.forClient()
                        + "); the group is rebalancing or an instance is down",
                RETRY_AFTER);
    }

    /**
     * Why a round's pages do not cover every partition exactly once. A client is told which partitions
     * and why in general; only the log names the instances, whose addresses are internal.
     */
    private record Gap(PartitionCoverage coverage, List<String> failures, List<String> failedPeers) {
        Set<Integer> missing() {
            return coverage.missing();
        }

        Set<Integer> twice() {
            return coverage.twice();
        }

        String forClient() {
            return coverage() + (failures.isEmpty() ? "" : "; " + failures.size() + " instance(s) failed: " + failures);
        }

        String forOperator() {
            return coverage() + (failedPeers.isEmpty() ? "" : "; failed: " + failedPeers);
        }
    }

    /** One scatter-gather round; returns null when the pages cover every partition exactly once, else why not. */
    private Gap gather(final ListQuery query, final List<LocalPage> pages) {
        final List<PeerDirectory.Peer> all = directory.peers();
        final List<CompletableFuture<LocalPage>> calls = new ArrayList<>();
        for (PeerDirectory.Peer peer : all) {
            calls.add(peer.self() ? null : peers.page(peer, query));
        }
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).self()) {
                calls.set(i, localPage(query));
            }
        }
        final List<String> failures = new ArrayList<>();
        final List<String> failedPeers = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            try {
                pages.add(calls.get(i).get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnavailableException("interrupted while gathering the list", RETRY_AFTER, e);
            } catch (ExecutionException e) {
                rethrowClientError(e.getCause());
                failures.add(forClient(e.getCause()));
                failedPeers.add(all.get(i).hostPort() + ": " + forOperator(e.getCause()));
            }
        }
        return coverageGap(pages, failures, failedPeers);
    }

    /**
     * Asks standby copies for the partitions no active served: each missing partition of the first
     * instance keeping a copy that did not fail this round (this one first), one call per instance.
     * Their pages join {@code pages}; returns null when every partition is now covered once.
     */
    private Gap fromStandbys(final ListQuery query, final Gap gap, final List<LocalPage> pages) {
        final Map<PeerDirectory.Peer, Set<Integer>> byPeer = new LinkedHashMap<>();
        for (int p : gap.missing()) {
            for (PeerDirectory.Peer peer : directory.standbysOf(p)) {
                if (!failed(gap, peer)) {
                    byPeer.computeIfAbsent(peer, k -> new TreeSet<>()).add(p);
                    break;
                }
            }
        }
        if (byPeer.isEmpty()) {
            return gap;
        }
        final List<PeerDirectory.Peer> asked = new ArrayList<>(byPeer.keySet());
        final List<CompletableFuture<LocalPage>> calls = new ArrayList<>();
        for (PeerDirectory.Peer peer : asked) {
            calls.add(peer.self() ? null : peers.standbyPage(peer, query, byPeer.get(peer)));
        }
        for (int i = 0; i < asked.size(); i++) {
            if (asked.get(i).self()) {
                calls.set(i, localStandbyPage(query, byPeer.get(asked.get(i))));
            }
        }
        final List<String> failures = new ArrayList<>(gap.failures());
        final List<String> failedPeers = new ArrayList<>(gap.failedPeers());
        for (int i = 0; i < calls.size(); i++) {
            try {
                pages.add(calls.get(i).get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnavailableException("interrupted while gathering the list", RETRY_AFTER, e);
            } catch (ExecutionException e) {
                rethrowClientError(e.getCause());
                failures.add("standby: " + forClient(e.getCause()));
                failedPeers.add(asked.get(i).hostPort() + " (standby): " + forOperator(e.getCause()));
            }
        }
        return coverageGap(pages, failures, failedPeers);
    }

    private static boolean failed(final Gap gap, final PeerDirectory.Peer peer) {
        return gap.failedPeers().stream().anyMatch(f -> f.startsWith(peer.hostPort() + ":"));
    }

    private CompletableFuture<LocalPage> localStandbyPage(final ListQuery query, final Set<Integer> partitions) {
        try {
            return CompletableFuture.completedFuture(local.standbyPage(query, partitions));
        } catch (UnavailableException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * A failure as a client may read it: our own {@link UnavailableException}s are worded for
     * clients; anything else (a JDK or Jackson exception) may name a host, so only its kind is told.
     */
    private static String forClient(final Throwable failure) {
        return failure instanceof UnavailableException
                ? failure.getMessage()
                : failure.getClass().getSimpleName();
    }

    /** The failure with its cause, for the log. */
    private static String forOperator(final Throwable failure) {
        return failure.getCause() == null ? failure.toString() : failure + " (" + failure.getCause() + ")";
    }

    /** This instance's page, computed on the calling thread while the peers work on theirs. */
    private CompletableFuture<LocalPage> localPage(final ListQuery query) {
        try {
            return CompletableFuture.completedFuture(local.page(query));
        } catch (UnavailableException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Gap coverageGap(final List<LocalPage> pages, final List<String> failures, final List<String> failedPeers) {
        final PartitionCoverage coverage =
                PartitionCoverage.of(pages.stream().map(LocalPage::partitions).toList(), directory.partitionCount());
        return coverage.complete() ? null : new Gap(coverage, failures, failedPeers);
    }

    /** A bad cursor or parameter is the client's fault on every instance alike: answer 400, don't retry. */
    private static void rethrowClientError(final Throwable cause) {
        final Throwable t = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        if (t instanceof BadRequestException bad) {
            throw bad;
        }
    }

    @Override
    public Incident get(final String tenant, final String id) {
        return getStale(tenant, id).value();
    }

    @Override
    public Stale<Incident> getStale(final String tenant, final String id) {
        final int partition = IncidentId.partitionOf(id);
        if (partition < 0 || partition >= directory.partitionCount()) {
            throw new NotFoundException("incident " + Texts.abbreviateId(id) + " not found");
        }
        final Optional<PeerDirectory.Peer> owner = directory.ownerOf(partition);
        UnavailableException failure =
                new UnavailableException("no instance owns partition " + partition + " right now", RETRY_AFTER);
        if (owner.isPresent()) {
            try {
                return Stale.fresh(fromOwner(owner.get(), tenant, id));
            } catch (UnavailableException e) {
                failure = e;
                LOG.warn(
                        "Get: the owner of partition {}, {}, failed: {}",
                        partition,
                        owner.get().hostPort(),
                        forOperator(e.getCause() == null ? e : e.getCause()));
            }
        }
        for (PeerDirectory.Peer standby : directory.standbysOf(partition)) {
            if (owner.isPresent() && standby.equals(owner.get())) {
                continue;
            }
            try {
                return standby.self()
                        ? local.standbyGet(tenant, id)
                        : peers.standbyGet(standby, tenant, id).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnavailableException("interrupted while asking a standby", RETRY_AFTER, e);
            } catch (NotFoundException e) {
                failure = notYetOnStandby(partition);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof NotFoundException) {
                    failure = notYetOnStandby(partition);
                } else {
                    LOG.debug(
                            "Get: the standby {} of partition {} failed: {}",
                            standby.hostPort(),
                            partition,
                            e.getCause());
                }
            } catch (UnavailableException e) {
                LOG.debug("Get: this instance's standby of partition {} failed: {}", partition, e.getMessage());
            }
        }
        LOG.warn("Get answered 503: neither the owner nor a standby of partition {} answered", partition);
        throw failure;
    }

    /**
     * A standby copy without the incident proves nothing: it may still be restoring, or lag behind the
     * write that made it. Only the active may answer 404; meanwhile, 503 + {@code Retry-After}.
     */
    private static UnavailableException notYetOnStandby(final int partition) {
        return new UnavailableException(
                "partition " + partition + " is moving and its standby copy does not hold this incident (yet)",
                RETRY_AFTER);
    }

    /** The incident from the owner of its partition; its failure as an {@link UnavailableException}. */
    private Incident fromOwner(final PeerDirectory.Peer owner, final String tenant, final String id) {
        if (owner.self()) {
            return local.get(tenant, id);
        }
        final int partition = IncidentId.partitionOf(id);
        try {
            return peers.get(owner, tenant, id).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException(
                    "interrupted while asking the owner of partition " + partition, RETRY_AFTER, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NotFoundException notFound) {
                throw notFound;
            }
            throw new UnavailableException(
                    "the owner of partition " + partition + " did not answer: " + forClient(e.getCause()),
                    RETRY_AFTER,
                    e.getCause());
        }
    }
}
