package io.incidentstream.query;

import io.incidentstream.errors.BadRequestException;
import io.incidentstream.errors.NotFoundException;
import io.incidentstream.errors.UnavailableException;
import io.incidentstream.model.Incident;
import io.incidentstream.model.IncidentId;
import io.incidentstream.model.Texts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * be every partition of the input topic exactly once. A standby never answers (only active tasks
 * do), so nothing is counted twice; a missing partition (rebalance, dead peer, timeout) means the
 * page would be partial, so metadata is read again and the whole round retried once, then 503.
 *
 * <p>Get: the id names its partition, so only the owner is asked.
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
    private record Gap(String coverage, List<String> failures, List<String> failedPeers) {
        String forClient() {
            return coverage + (failures.isEmpty() ? "" : "; " + failures.size() + " instance(s) failed: " + failures);
        }

        String forOperator() {
            return coverage + (failedPeers.isEmpty() ? "" : "; failed: " + failedPeers);
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
        final String coverage = coverageGap(pages);
        return coverage == null ? null : new Gap(coverage, failures, failedPeers);
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

    private String coverageGap(final List<LocalPage> pages) {
        final Set<Integer> seen = new TreeSet<>();
        final Set<Integer> twice = new TreeSet<>();
        for (LocalPage page : pages) {
            for (int p : page.partitions()) {
                if (!seen.add(p)) {
                    twice.add(p);
                }
            }
        }
        final Set<Integer> missing = new TreeSet<>();
        for (int p = 0; p < directory.partitionCount(); p++) {
            if (!seen.contains(p)) {
                missing.add(p);
            }
        }
        if (missing.isEmpty() && twice.isEmpty()) {
            return null;
        }
        return "partitions missing " + missing + ", served twice " + twice;
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
        final int partition = IncidentId.partitionOf(id);
        if (partition < 0 || partition >= directory.partitionCount()) {
            throw new NotFoundException("incident " + Texts.abbreviateId(id) + " not found");
        }
        final PeerDirectory.Peer owner = directory
                .ownerOf(partition)
                .orElseThrow(() -> new UnavailableException(
                        "no instance owns partition " + partition + " right now", RETRY_AFTER));
        if (owner.self()) {
            return local.get(tenant, id);
        }
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
            LOG.warn(
                    "Get answered 503: the owner of partition {}, {}, failed: {}",
                    partition,
                    owner.hostPort(),
                    forOperator(e.getCause()));
            throw new UnavailableException(
                    "the owner of partition " + partition + " did not answer: " + forClient(e.getCause()),
                    RETRY_AFTER,
                    e.getCause());
        }
    }
}
