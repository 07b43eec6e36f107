package io.incidentstream.query;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** Asks another instance for its part of a summary. Failures complete the future exceptionally. */
public interface SummaryClient {

    /** The peer's {@link LocalSummary} of {@code tenant} for changes since {@code from}. */
    CompletableFuture<LocalSummary> summary(PeerDirectory.Peer peer, String tenant, Instant from);
}
