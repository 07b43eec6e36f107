package io.incidentstream.query;

import io.incidentstream.model.CommandResult;
import java.util.concurrent.CompletableFuture;

/** Asks an incident's owner whether a command has been applied yet. */
public interface CommandResultClient {

    /** Completes with the result, or with null when the owner has not applied the command (yet). */
    CompletableFuture<CommandResult> commandResult(PeerDirectory.Peer peer, int partition, String commandId);
}
