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
        String gap = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            final List<LocalPage> pages = new ArrayList<>();
            gap = gather(query, pages);
            if (gap == null) {
                return assembler.assemble(query, pages);
            }
            LOG.debug("List round {} incomplete: {}", attempt, gap);
        }
        throw new UnavailableException(
                "the list would be incomplete (" + gap + "); the group is rebalancing or an instance is down",
                RETRY_AFTER);
    }

    /** One scatter-gather round; returns null when the pages cover every partition exactly once, else why not. */
    private String gather(final ListQuery query, final List<LocalPage> pages) {
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
        for (int i = 0; i < calls.size(); i++) {
            try {
                pages.add(calls.get(i).get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnavailableException("interrupted while gathering the list", RETRY_AFTER, e);
            } catch (ExecutionException e) {
                rethrowClientError(e.getCause());
                failures.add(all.get(i).hostPort() + ": " + e.getCause().getMessage());
            }
        }
        return coverageGap(pages, failures);
    }

    /** This instance's page, computed on the calling thread while the peers work on theirs. */
    private CompletableFuture<LocalPage> localPage(final ListQuery query) {
        try {
            return CompletableFuture.completedFuture(local.page(query));
        } catch (UnavailableException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private String coverageGap(final List<LocalPage> pages, final List<String> failures) {
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
        return "partitions missing " + missing + ", served twice " + twice
                + (failures.isEmpty() ? "" : ", failed " + failures);
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
            throw new UnavailableException("interrupted while asking " + owner.hostPort(), RETRY_AFTER, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NotFoundException notFound) {
                throw notFound;
            }
            throw new UnavailableException(
                    "the owner of partition " + partition + " (" + owner.hostPort() + ") did not answer: "
                            + e.getCause().getMessage(),
                    RETRY_AFTER,
                    e.getCause());
        }
    }
}
