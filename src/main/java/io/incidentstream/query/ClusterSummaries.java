package io.incidentstream.query;

import io.incidentstream.errors.UnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The summary every client sees, whichever instance it calls: the same scatter-gather as the list
 * ({@link ClusterIncidentQueries}). Every instance answers for its active partitions; the parts must
 * cover every partition exactly once, else metadata is read again and the round retried once, then
 * 503: a summary missing a partition would understate the counts without saying so.
 */
public final class ClusterSummaries {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterSummaries.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private final LocalSummaries local;
    private final PeerDirectory directory;
    private final SummaryClient peers;
    private final Clock clock;

    public ClusterSummaries(
            final LocalSummaries local, final PeerDirectory directory, final SummaryClient peers, final Clock clock) {
        this.local = local;
        this.directory = directory;
        this.peers = peers;
        this.clock = clock;
    }

    public IncidentSummary summary(final SummaryQuery query) {
        final Instant to = clock.instant();
        final Instant from = to.minus(query.window());
        String gap = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            final List<LocalSummary> parts = new ArrayList<>();
            gap = gather(query.tenant(), from, parts);
            if (gap == null) {
                return IncidentSummary.merge(query.window(), from, to, parts);
            }
            LOG.debug("Summary round {} incomplete: {}", attempt, gap);
        }
        LOG.info("Summary answered 503, the group's parts were incomplete twice: {}", gap);
        throw new UnavailableException(
                "the summary would be incomplete; the group is rebalancing or an instance is down", RETRY_AFTER);
    }

    private String gather(final String tenant, final Instant from, final List<LocalSummary> parts) {
        final List<PeerDirectory.Peer> all = directory.peers();
        final List<CompletableFuture<LocalSummary>> calls = new ArrayList<>();
        for (PeerDirectory.Peer peer : all) {
            calls.add(peer.self() ? null : peers.summary(peer, tenant, from));
        }
        final List<String> failures = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            try {
                parts.add(
                        calls.get(i) == null
                                ? local.summary(tenant, from)
                                : calls.get(i).get());
            } catch (UnavailableException e) {
                failures.add("this instance: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnavailableException("interrupted while gathering the summary", RETRY_AFTER, e);
            } catch (ExecutionException e) {
                failures.add(all.get(i).hostPort() + ": " + e.getCause());
            }
        }
        final PartitionCoverage coverage = PartitionCoverage.of(
                parts.stream().map(LocalSummary::partitions).toList(), directory.partitionCount());
        if (coverage.complete()) {
            return null;
        }
        return coverage + "; failed: " + failures;
    }
}
