package io.incidentstream.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live scenario's stream clients: all of them served by one thread with a selector (100
 * threads, each woken at once for every batch the server sends, would take the two cores from the
 * app's stream thread and broker in bursts, as browsers on other machines do not), each client a
 * non-blocking socket reading one {@code GET /incidents/stream} as cheaply as a client can while
 * still following the stream: it reads bytes in 64 KiB blocks (undoing the chunked transfer coding,
 * if any), and scans each line only far enough to tell an {@code id:} (kept, for
 * {@code Last-Event-ID} on reconnect) and a {@code data:} line (counted) from the rest, skipping the
 * JSON without decoding it. While the probes run (after the timed ingest) every client also reads
 * each data line whole, to find the probe it carries and note when it arrived. A browser's
 * EventSource does more per event (it decodes every line); a bench client that did so would put its
 * own cost, on the same two cores, into the figure for the server.
 */
final class StreamClients implements AutoCloseable {
    private static final byte[] PROBE = "\"alertId\":\"live-probe-".getBytes(StandardCharsets.US_ASCII);
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final int port;
    private final int count;
    private final List<AtomicLong> events = new ArrayList<>();
    private final AtomicLong bytes = new AtomicLong();
    private final Map<String, Long> received = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong reconnects = new AtomicLong();
    private final Selector selector;
    private volatile boolean probing;
    private volatile boolean closed;

    StreamClients(final int port, final int count) throws IOException {
        this.port = port;
        this.count = count;
        this.selector = Selector.open();
    }

    void connect() throws InterruptedException {
        final CountDownLatch open = new CountDownLatch(count);
        final List<Reader> readers = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            final AtomicLong n = new AtomicLong();
            events.add(n);
            readers.add(new Reader(c, n, open));
        }
        final Thread loop = new Thread(() -> loop(readers), "stream-clients");
        loop.setDaemon(true);
        loop.start();
        threads.add(loop);
        if (!open.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("stream clients did not connect");
        }
    }

    /** The clients' thread (for its CPU time). */
    List<Thread> threads() {
        return threads;
    }

    /**
     * Reads every stream for as long as the scenario runs; when the server drops a client (too slow)
     * or its connection ends, reconnects it with {@code Last-Event-ID} as a browser's EventSource would.
     */
    private void loop(final List<Reader> readers) {
        final List<Reader> waiting = new ArrayList<>(readers);
        try {
            while (!closed) {
                final long now = System.nanoTime();
                for (int i = waiting.size() - 1; i >= 0; i--) {
                    final Reader r = waiting.get(i);
                    if (now >= r.retryAt) {
                        waiting.remove(i);
                        if (!r.open()) {
                            waiting.add(r);
                        }
                    }
                }
                selector.select(waiting.isEmpty() ? 0 : 100);
                for (SelectionKey key : selector.selectedKeys()) {
                    final Reader r = (Reader) key.attachment();
                    if (!r.readable()) {
                        key.cancel();
                        r.closeChannel();
                        r.retryAt = System.nanoTime() + (r.failed ? RETRY_NANOS : 0);
                        waiting.add(r);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                Bench.log("live: stream clients stopped: %s", e);
            }
        }
    }

    /** One client's parser: response head, chunked coding, SSE lines. */
    private final class Reader {
        private static final int SIZE = 0;
        private static final int DATA = 1;
        private static final int DATA_END = 2;

        private final int client;
        private final AtomicLong n;
        private final CountDownLatch open;
        private final byte[] buf = new byte[64 * 1024];
        private final ByteBuffer in = ByteBuffer.wrap(buf);
        private SocketChannel channel;
        private boolean inHead;
        private boolean counted;
        private boolean failed;
        private long retryAt;
        private final byte[] line = new byte[64 * 1024];
        private String lastId;
        private int start; // of the unread part of buf after head()
        private int end;
        private int chunkState;
        private long chunkLeft;
        private boolean extension;
        private boolean chunked;
        private boolean lineStart = true;
        private int lineKind; // 0 other (skip), 1 id, 2 data
        private int lineLength; // bytes of the line kept (the kind's prefix while unknown, all of an id or probed data)
        private boolean undecided;

        Reader(final int client, final AtomicLong n, final CountDownLatch open) {
            this.client = client;
            this.n = n;
            this.open = open;
        }

        /** Connects and sends the request (blocking: loopback), then reads without blocking; false if it failed. */
        boolean open() {
            start = 0;
            end = 0;
            chunkState = SIZE;
            chunkLeft = 0;
            extension = false;
            lineStart = true;
            lineLength = 0;
            undecided = false;
            inHead = true;
            failed = false;
            try {
                channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                final ByteBuffer request = ByteBuffer.wrap(
                        ("GET /incidents/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                                        + (lastId == null ? "" : "Last-Event-ID: " + lastId + "\r\n")
                                        + "\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                while (request.hasRemaining()) {
                    channel.write(request);
                }
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ, this);
                return true;
            } catch (IOException e) {
                if (!closed) {
                    Bench.log("live: client %d: %s; reconnecting", client, e);
                }
                closeChannel();
                retryAt = System.nanoTime() + RETRY_NANOS;
                return false;
            }
        }

        void closeChannel() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // closing anyway
                }
                channel = null;
            }
        }

        /** Reads what there is; false when the connection ended (or failed: {@link #failed}) and is to be reopened. */
        boolean readable() {
            try {
                while (true) {
                    in.clear().position(inHead ? end : 0);
                    final int r = channel.read(in);
                    if (r < 0) {
                        if (!closed && !inHead) {
                            reconnects.incrementAndGet();
                        }
                        failed = inHead;
                        return false;
                    }
                    if (r == 0) {
                        return true;
                    }
                    if (inHead) {
                        end += r;
                        final int status = head();
                        if (status < 0) {
                            continue;
                        }
                        if (status != 200) {
                            failed = true;
                            return false;
                        }
                        inHead = false;
                        if (!counted) {
                            open.countDown();
                            counted = true;
                        }
                        body(start, end);
                    } else {
                        body(0, r);
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    Bench.log("live: client %d: %s; reconnecting", client, e);
                    reconnects.incrementAndGet();
                }
                failed = true;
                return false;
            }
        }

        /** The status once the response head is in buf (the rest of what was read stays there), else -1. */
        private int head() throws IOException {
            for (int i = 3; i < end; i++) {
                if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' && buf[i - 3] == '\r') {
                    final String head = new String(buf, 0, i, StandardCharsets.ISO_8859_1);
                    // Javalin answers "Connection: close", so the body is the bytes until the connection ends;
                    // chunked if a proxy or a later server chunks it
                    chunked = head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
                    start = i + 1;
                    return Integer.parseInt(head.substring(9, 12));
                }
            }
            if (end == buf.length) {
                throw new IOException("response head too long");
            }
            return -1;
        }

        private void body(final int from, final int to) {
            if (from < to) {
                bytes.addAndGet(to - from);
                if (chunked) {
                    chunks(from, to);
                } else {
                    sse(from, to);
                }
            }
        }

        private void chunks(final int from, final int to) {
            int i = from;
            while (i < to) {
                if (chunkState == DATA) {
                    final int take = (int) Math.min(chunkLeft, to - i);
                    sse(i, i + take);
                    i += take;
                    chunkLeft -= take;
                    if (chunkLeft == 0) {
                        chunkState = DATA_END;
                    }
                } else if (chunkState == DATA_END) {
                    // the CRLF after the chunk's data
                    if (buf[i++] == '\n') {
                        chunkState = SIZE;
                    }
                } else {
                    final byte b = buf[i++];
                    if (b == '\n') {
                        if (chunkLeft == 0) {
                            throw new IllegalStateException("the stream ended (last chunk)");
                        }
                        chunkState = DATA;
                        extension = false;
                    } else if (b != '\r' && !extension) {
                        final int digit = Character.digit(b, 16);
                        if (digit >= 0) {
                            chunkLeft = chunkLeft * 16 + digit;
                        } else {
                            extension = true; // ";name=value" after the size: ignored
                        }
                    }
                }
            }
        }

        private void sse(final int from, final int to) {
            int i = from;
            while (i < to) {
                if (lineStart) {
                    lineStart = false;
                    lineKind = 0;
                    lineLength = 0;
                    undecided = true;
                }
                if (undecided) {
                    // the first bytes of a line tell its kind: "id:" and "data:" matter, the rest is skipped
                    final byte b = buf[i++];
                    if (b == '\n') {
                        lineStart = true;
                        continue;
                    }
                    line[lineLength++] = b;
                    if (lineLength == 3 && line[0] == 'i' && line[1] == 'd' && line[2] == ':') {
                        lineKind = 1;
                        undecided = false;
                    } else if (lineLength == 5 && line[0] == 'd' && line[4] == ':') {
                        lineKind = 2;
                        undecided = false;
                        n.incrementAndGet();
                    } else if (lineLength >= 5) {
                        undecided = false;
                    }
                    continue;
                }
                final boolean keep = lineKind == 1 || (lineKind == 2 && probing);
                int eol = i;
                while (eol < to && buf[eol] != '\n') {
                    eol++;
                }
                if (keep) {
                    final int take = Math.min(eol - i, line.length - lineLength);
                    System.arraycopy(buf, i, line, lineLength, take);
                    lineLength += take;
                }
                if (eol < to) {
                    if (lineKind == 1) {
                        lastId = new String(line, 3, lineLength - 3, StandardCharsets.US_ASCII).trim();
                    } else if (lineKind == 2 && probing) {
                        probed();
                    }
                    lineStart = true;
                    i = eol + 1;
                } else {
                    i = to;
                }
            }
        }

        private void probed() {
            final int at = indexOf(line, lineLength, PROBE);
            if (at >= 0) {
                int e = at + PROBE.length;
                while (e < lineLength && line[e] != '"') {
                    e++;
                }
                final String probe =
                        new String(line, at + PROBE.length, e - at - PROBE.length, StandardCharsets.US_ASCII);
                received.putIfAbsent(client + "/" + probe, System.nanoTime());
            }
        }
    }

    private static int indexOf(final byte[] in, final int length, final byte[] what) {
        outer:
        for (int i = 0; i + what.length <= length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (in[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    long reconnects() {
        return reconnects.get();
    }

    /** Bytes of response body read by all clients so far. */
    long bytes() {
        return bytes.get();
    }

    void probing(final boolean on) {
        probing = on;
    }

    void awaitProbes(final int probes, final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < (long) probes * count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    Map<String, Long> received() {
        return received;
    }

    long minEvents() {
        return events.stream().mapToLong(AtomicLong::get).min().orElse(0);
    }

    long totalEvents() {
        return events.stream().mapToLong(AtomicLong::get).sum();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        selector.wakeup();
        for (Thread t : threads) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
    }
}
