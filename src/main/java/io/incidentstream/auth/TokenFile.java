package io.incidentstream.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code AUTH_TOKENS_FILE}, reloaded on change without a restart. Every {@code interval} the file
 * is read again and, when its bytes changed, parsed; a file that cannot be read or parsed keeps
 * the last good tokens and logs an error (once per broken version), so a bad edit never locks
 * everybody out. Comparing content rather than mtime also catches a Kubernetes secret's atomic
 * symlink swap and an edit within the same second. At start-up a broken file is a failure.
 */
public final class TokenFile implements TokenSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TokenFile.class);
    /** How often the file is checked: token changes apply within this time. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

    private final Path path;
    private final AtomicReference<TokenStore> current = new AtomicReference<>();
    private byte[] lastSeen;
    private boolean unreadable;
    private ScheduledExecutorService poller;

    private TokenFile(final Path path) {
        this.path = path;
    }

    /**
     * Loads the file now, without watching it (tests call {@link #reloadIfChanged()} themselves).
     *
     * @throws InvalidTokenFileException when the file is missing or broken
     */
    public static TokenFile load(final Path path) {
        final TokenFile file = new TokenFile(path);
        final byte[] content = file.read()
                .orElseThrow(() -> new InvalidTokenFileException("AUTH_TOKENS_FILE " + path + " cannot be read"));
        try {
            file.current.set(TokenStore.parse(content));
        } catch (InvalidTokenFileException e) {
            throw new InvalidTokenFileException("AUTH_TOKENS_FILE " + path + ": " + e.getMessage());
        }
        file.lastSeen = content;
        LOG.info("Loaded {} token(s) from {}", file.current.get().size(), path);
        return file;
    }

    /** Loads the file and re-reads it every {@code interval} on a daemon thread until closed. */
    public static TokenFile watch(final Path path, final Duration interval) {
        final TokenFile file = load(path);
        file.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "auth-tokens-reload");
            t.setDaemon(true);
            return t;
        });
        final var unused = file.poller.scheduleWithFixedDelay(
                file::reloadIfChanged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return file;
    }

    @Override
    public TokenStore current() {
        return current.get();
    }

    /** Re-reads the file; returns whether a new version was taken. Never throws. */
    public synchronized boolean reloadIfChanged() {
        final Optional<byte[]> content = read();
        if (content.isEmpty() || Arrays.equals(content.get(), lastSeen)) {
            return false;
        }
        lastSeen = content.get();
        try {
            final TokenStore next = TokenStore.parse(content.get());
            current.set(next);
            LOG.info("Reloaded {}: {} token(s)", path, next.size());
            return true;
        } catch (InvalidTokenFileException e) {
            LOG.error(
                    "AUTH_TOKENS_FILE {} is invalid, keeping the previous {} token(s): {}",
                    path,
                    current.get().size(),
                    e.getMessage());
            return false;
        }
    }

    private Optional<byte[]> read() {
        try {
            final byte[] content = Files.readAllBytes(path);
            unreadable = false;
            return Optional.of(content);
        } catch (IOException e) {
            if (lastSeen != null && !unreadable) {
                LOG.error("AUTH_TOKENS_FILE {} cannot be read, keeping the previous tokens: {}", path, e.toString());
            }
            unreadable = true;
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }
}
