package io.incidentstream.cluster;

import io.incidentstream.codec.Json;
import io.incidentstream.errors.BadRequestException;
import io.incidentstream.errors.NotFoundException;
import io.incidentstream.errors.UnavailableException;
import io.incidentstream.model.CommandResult;
import io.incidentstream.model.Incident;
import io.incidentstream.query.CommandResultClient;
import io.incidentstream.query.ListQuery;
import io.incidentstream.query.ListQueryCodec;
import io.incidentstream.query.LocalPage;
import io.incidentstream.query.LocalSummary;
import io.incidentstream.query.PeerClient;
import io.incidentstream.query.PeerDirectory;
import io.incidentstream.query.Stale;
import io.incidentstream.query.SummaryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Calls peers' internal endpoints with the JDK HTTP client: asynchronous, so a list asks every
 * peer at once, and bounded by {@code PEER_TIMEOUT}, so a hung peer costs one timeout, not a hang.
 * A failed call completes with an {@link UnavailableException} whose message may reach a client and
 * so names no host or port; the peer and the JDK's exception are for the caller to log.
 */
public final class HttpPeerClient implements PeerClient, CommandResultClient, SummaryClient {
    private static final int EXECUTOR_THREADS =
            Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    /**
     * The largest peer answer read: a full page (100 incidents, each at most its bounded stored size)
     * with room to spare. Anything larger is not a peer speaking our protocol.
     */
    static final long MAX_ANSWER_BYTES = 64L << 20;

    /** How much longer than the request's own timeout the body may take (a large page over a slow link). */
    private static final long BODY_GRACE_MILLIS = 1000;

    private final HttpClient client;
    private final Duration timeout;
    private final Optional<String> peerToken;

    public HttpPeerClient(final Duration timeout, final Optional<String> peerToken) {
        // The JDK's default executor is an unbounded cached pool: under 200 concurrent lists it grew by
        // up to 184 threads (LoadIT). Peer calls are short async exchanges; a few threads serve them,
        // and idle ones end, so a closed client leaves none behind.
        final ThreadPoolExecutor executor = new ThreadPoolExecutor(
                EXECUTOR_THREADS, EXECUTOR_THREADS, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemonThreads());
        executor.allowCoreThreadTimeOut(true);
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .executor(executor)
                .build();
        this.timeout = timeout;
        this.peerToken = peerToken;
    }

    private static ThreadFactory daemonThreads() {
        return runnable -> {
            final Thread thread = new Thread(runnable, "peer-client-" + THREAD_NUMBER.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public CompletableFuture<LocalPage> page(final PeerDirectory.Peer peer, final ListQuery query) {
        final String path = PeerProtocol.PREFIX + "/incidents?" + ListQueryCodec.toQueryString(query) + "&"
                + PeerProtocol.TENANT_PARAM + "=" + encode(query.tenant());
        return call(peer, path).thenApply(body -> read(body, LocalPage.class));
    }

    @Override
    public CompletableFuture<Incident> get(final PeerDirectory.Peer peer, final String tenant, final String id) {
        final String path = PeerProtocol.PREFIX + "/incidents/" + encode(id) + "?" + PeerProtocol.TENANT_PARAM + "="
                + encode(tenant);
        return call(peer, path).thenApply(body -> read(body, Incident.class));
    }

    @Override
    public CompletableFuture<LocalPage> standbyPage(
            final PeerDirectory.Peer peer, final ListQuery query, final Set<Integer> partitions) {
        final String path = PeerProtocol.PREFIX + "/incidents?" + ListQueryCodec.toQueryString(query) + "&"
                + PeerProtocol.TENANT_PARAM + "=" + encode(query.tenant()) + "&" + PeerProtocol.STANDBY_PARAM + "="
                + partitions.stream().sorted().map(String::valueOf).collect(Collectors.joining(","));
        return call(peer, path).thenApply(body -> read(body, LocalPage.class));
    }

    @Override
    public CompletableFuture<Stale<Incident>> standbyGet(
            final PeerDirectory.Peer peer, final String tenant, final String id) {
        final String path = PeerProtocol.PREFIX + "/incidents/" + encode(id) + "?" + PeerProtocol.TENANT_PARAM + "="
                + encode(tenant) + "&" + PeerProtocol.STANDBY_PARAM + "=true";
        return callWithHeaders(peer, path)
                .thenApply(response -> new Stale<>(
                        read(response.body(), Incident.class),
                        response.headers()
                                .firstValueAsLong(PeerProtocol.STALENESS_HEADER)
                                .orElse(0)));
    }

    @Override
    public CompletableFuture<LocalSummary> summary(
            final PeerDirectory.Peer peer, final String tenant, final Instant from) {
        final String path = PeerProtocol.PREFIX + "/summary?" + PeerProtocol.TENANT_PARAM + "=" + encode(tenant)
                + "&from=" + from.toEpochMilli();
        return call(peer, path).thenApply(body -> read(body, LocalSummary.class));
    }

    @Override
    public CompletableFuture<CommandResult> commandResult(
            final PeerDirectory.Peer peer, final int partition, final String commandId) {
        final String path = PeerProtocol.PREFIX + "/commands/" + encode(commandId) + "?partition=" + partition;
        return call(peer, path).handle((body, error) -> {
            if (error == null) {
                return read(body, CommandResult.class);
            }
            final Throwable cause =
                    error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof NotFoundException) {
                return null;
            }
            throw error instanceof RuntimeException re ? re : new CompletionException(error);
        });
    }

    private CompletableFuture<byte[]> call(final PeerDirectory.Peer peer, final String path) {
        return callWithHeaders(peer, path).thenApply(HttpResponse::body);
    }

    private CompletableFuture<HttpResponse<byte[]>> callWithHeaders(final PeerDirectory.Peer peer, final String path) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + peer.hostPort() + path))
                .timeout(timeout)
                .GET();
        peerToken.ifPresent(t -> request.header(PeerProtocol.AUTH_HEADER, "Bearer " + t));
        // The request timeout ends at the response headers; the whole exchange, body included, is
        // bounded here, so a peer trickling its answer costs about one timeout too.
        return client.sendAsync(request.build(), BoundedBody.handler(MAX_ANSWER_BYTES))
                .orTimeout(timeout.toMillis() + BODY_GRACE_MILLIS, TimeUnit.MILLISECONDS)
                .handle((response, error) -> {
                    if (error != null) {
                        throw unreachable(error);
                    }
                    body(response);
                    return response;
                });
    }

    /**
     * A peer's 404 and 400 are the caller's answer, with the peer's message (written for clients);
     * anything else but 200 means the peer cannot answer now.
     */
    private static byte[] body(final HttpResponse<byte[]> response) {
        return switch (response.statusCode()) {
            case 200 -> response.body();
            case 404 -> throw new NotFoundException(message(response.body()));
            case 400 -> throw new BadRequestException(message(response.body()));
            default ->
                throw new UnavailableException(
                        "an instance answered " + response.statusCode() + ": " + message(response.body()), RETRY_AFTER);
        };
    }

    /**
     * Why a peer could not be asked, in words that name no host or port (they reach clients); the
     * JDK's exception, which may name them, is kept as the cause for the log.
     */
    private UnavailableException unreachable(final Throwable error) {
        final Throwable cause =
                error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        final String why;
        if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
            why = "an instance did not answer within " + timeout.toMillis() + " ms";
        } else if (cause instanceof BoundedBody.TooLarge) {
            why = "an instance's " + cause.getMessage();
        } else if (cause instanceof ConnectException) {
            why = "an instance could not be reached";
        } else {
            why = "the call to an instance failed (" + cause.getClass().getSimpleName() + ")";
        }
        return new UnavailableException(why, RETRY_AFTER, cause);
    }

    private static <T> T read(final byte[] body, final Class<T> type) {
        try {
            return Json.mapper().readValue(body, type);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable peer answer", e);
        }
    }

    private static String message(final byte[] body) {
        try {
            return Json.mapper().readTree(body).path("message").asText("(no message)");
        } catch (IOException e) {
            return "(unreadable body)";
        }
    }

    private static String encode(final String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
