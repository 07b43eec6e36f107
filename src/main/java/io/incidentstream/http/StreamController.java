package io.incidentstream.http;

import io.incidentstream.errors.BadRequestException;
import io.incidentstream.model.Incident;
import io.incidentstream.model.Texts;
import io.incidentstream.query.ChangeFeed;
import io.incidentstream.query.FanOut;
import io.incidentstream.query.IncidentQueries;
import io.incidentstream.query.ListQuery;
import io.incidentstream.query.ListQueryParser;
import io.incidentstream.query.StreamEvent;
import io.incidentstream.query.StreamPosition;
import io.incidentstream.query.StreamSession;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.sse.SseClient;
import io.javalin.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /incidents/stream}: Server-Sent Events of incident changes ({@link StreamSession}). Javalin's
 * SSE handler answers 200 before it hands over the client, so everything that can refuse the request
 * (parameters, {@code Last-Event-ID}, the client limit) runs first, in a before-handler of this path.
 */
final class StreamController {
    static final String PATH = "/incidents/stream";

    private static final Logger LOG = LoggerFactory.getLogger(StreamController.class);
    private static final String SNAPSHOT = "snapshot";
    private static final Set<String> KNOWN = Set.of(
            "status",
            "severity",
            "alertId",
            "alertTemplateId",
            "source",
            "createdAfter",
            "createdBefore",
            "label",
            SNAPSHOT);
    private static final String PENDING = "incident-stream.live";
    /** What a client's frames are gathered in before they are written: at first, and at most. */
    private static final int INITIAL_PENDING = 8 * 1024;

    private static final int MAX_PENDING = 64 * 1024;

    private final FanOut fanOut;
    private final ChangeFeed feed;
    private final IncidentQueries queries;
    private final StreamSession.Settings settings;
    private final ShownIncidents shown;

    private record Pending(StreamSession.Request request, FanOut.Subscriber subscriber) {}

    StreamController(
            final FanOut fanOut,
            final ChangeFeed feed,
            final IncidentQueries queries,
            final StreamSession.Settings settings,
            final ShownIncidents shown) {
        this.fanOut = fanOut;
        this.feed = feed;
        this.queries = queries;
        this.settings = settings;
        this.shown = shown;
    }

    /** Refuses what cannot be streamed, or takes a place in the fan-out for the client. */
    void admit(final Context ctx) {
        if (!ctx.method().name().equals("GET")) {
            return;
        }
        final Map<String, List<String>> params = new HashMap<>(QueryStrings.parse(ctx.queryString()));
        for (String name : params.keySet()) {
            if (!KNOWN.contains(name)) {
                throw new BadRequestException(
                        "unknown query parameter '" + Texts.abbreviate(name) + "'; known: " + new TreeSet<>(KNOWN));
            }
        }
        final boolean snapshot = snapshot(params.remove(SNAPSHOT));
        final ListQuery filter = ListQueryParser.parse(Tenants.of(ctx), params);
        final String lastEventId = ctx.header("Last-Event-ID");
        final StreamPosition from =
                lastEventId == null || lastEventId.isBlank() ? null : StreamPosition.parse(lastEventId.strip());
        final String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw new HttpResponseException(406, "this is an event stream: send Accept: text/event-stream");
        }
        final FanOut.Subscriber subscriber = fanOut.subscribe(StreamSession.filter(filter));
        ctx.attribute(PENDING, new Pending(new StreamSession.Request(filter, snapshot, from), subscriber));
    }

    private static boolean snapshot(final List<String> values) {
        if (values == null) {
            return false;
        }
        if (values.size() == 1 && (values.get(0).equals("true") || values.get(0).equals("false"))) {
            return values.get(0).equals("true");
        }
        throw new BadRequestException("snapshot must be true or false, once");
    }

    /** Runs one client until it goes (on Javalin's async thread, which the client holds meanwhile). */
    void serve(final SseClient client) {
        final Pending pending = client.ctx().attribute(PENDING);
        if (pending == null) {
            client.close();
            return;
        }
        try (FanOut.Subscriber subscriber = pending.subscriber()) {
            final boolean dropped = new StreamSession(
                            fanOut, feed, queries, settings, pending.request(), subscriber, frames(client))
                    .run();
            if (dropped) {
                LOG.info(
                        "Live-stream client {} fell behind by a whole queue and was disconnected",
                        client.ctx().ip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("Live-stream client {} ended by an error: {}", client.ctx().ip(), e.toString());
            if (!client.terminated()) {
                client.sendEvent("error", Map.of("message", "the stream failed; reconnect"));
            }
        } finally {
            client.close();
        }
    }

    /**
     * Frames as Javalin's {@code SseClient} writes them ({@code id:}, {@code event:}, a {@code data:} line per
     * line of the data, a blank line; a comment as {@code : text}), but written straight to the response as
     * bytes, flushed when the session says: Javalin's client runs each event through readers and writers and
     * flushes it alone, which with 100 clients cost more than the ingest itself (see bench/RESULTS.md, live).
     * An incident shows as the API shows it, with {@code silenced} and {@code silencedBy}; a change's frame is
     * made once, for every client.
     */
    private StreamSession.Frames frames(final SseClient client) {
        final JsonMapper json = client.ctx().jsonMapper();
        final Function<FanOut.Change, byte[]> encode = c -> {
            final StreamEvent e = c.event();
            return e.deleted()
                    ? frame(
                            StreamSession.DELETED,
                            c.after().encode(),
                            json.toJsonString(
                                    new StreamSession.Deleted(e.id(), e.tenant()), StreamSession.Deleted.class))
                    : frame(StreamSession.INCIDENT, c.after().encode(), shown.shownJson(e.incident(), e.json()));
        };
        return new StreamSession.Frames() {
            // frames gathered here and written to the response in one piece (Jetty's output takes each write
            // through its own buffer, locks and callbacks: per frame, that cost more than the bytes)
            private byte[] pending = new byte[INITIAL_PENDING];
            private int length;
            private boolean failed;

            @Override
            public void event(final String name, final String id, final Object data) {
                final Object shownData = data instanceof Incident i ? shown.shown(i) : data;
                add(frame(
                        name,
                        id,
                        shownData instanceof String text ? text : json.toJsonString(shownData, shownData.getClass())));
            }

            @Override
            public void change(final FanOut.Change change) {
                add(change.frame(encode));
            }

            @Override
            public void changes(final FanOut.Batch batch) {
                // the batch's frames, made once for every client: written as they are, not copied here first
                final byte[] frames = batch.frames(encode);
                if (length + frames.length <= pending.length) {
                    System.arraycopy(frames, 0, pending, length, frames.length);
                    length += frames.length;
                    return;
                }
                write();
                for (int from = 0; from < frames.length; from += MAX_PENDING) {
                    writeOut(frames, from, Math.min(MAX_PENDING, frames.length - from));
                }
            }

            @Override
            public Object incident(final StreamEvent e) {
                return shown.shownJson(e.incident(), e.json());
            }

            @Override
            public void comment(final String text) {
                add((": " + oneLine(text) + "\n").getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public void flush() {
                write();
                if (!failed) {
                    try {
                        client.ctx().res().flushBuffer();
                    } catch (IOException e) {
                        failed = true;
                    }
                }
            }

            @Override
            public boolean open() {
                return !failed && !client.terminated();
            }

            private void add(final byte[] frame) {
                if (failed) {
                    return;
                }
                if (length + frame.length > pending.length) {
                    if (length + frame.length <= MAX_PENDING) {
                        pending = Arrays.copyOf(
                                pending, Math.min(MAX_PENDING, Math.max(pending.length * 2, length + frame.length)));
                    } else {
                        write();
                        if (frame.length > pending.length) {
                            writeOut(frame, 0, frame.length); // larger than we gather: as it is
                            return;
                        }
                    }
                }
                System.arraycopy(frame, 0, pending, length, frame.length);
                length += frame.length;
            }

            private void write() {
                if (length > 0) {
                    writeOut(pending, 0, length);
                    length = 0;
                }
            }

            private void writeOut(final byte[] bytes, final int from, final int count) {
                if (!failed) {
                    try {
                        client.ctx().res().getOutputStream().write(bytes, from, count);
                    } catch (IOException e) {
                        failed = true; // the client is gone
                    }
                }
            }
        };
    }

    /** One SSE event: {@code id} (none when null), {@code event}, {@code data} (a line each of its lines). */
    static byte[] frame(final String name, final String id, final String data) {
        final StringBuilder out = new StringBuilder(data.length() + 64);
        if (id != null) {
            out.append("id: ").append(oneLine(id)).append('\n');
        }
        out.append("event: ").append(oneLine(name)).append('\n');
        int from = 0;
        while (from < data.length()) {
            int end = from;
            while (end < data.length() && data.charAt(end) != '\n' && data.charAt(end) != '\r') {
                end++;
            }
            out.append("data: ").append(data, from, end).append('\n');
            from = end < data.length()
                            && data.charAt(end) == '\r'
                            && end + 1 < data.length()
                            && data.charAt(end + 1) == '\n'
                    ? end + 2
                    : end + 1;
        }
        out.append('\n');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String oneLine(final String text) {
        return text.indexOf('\n') < 0 && text.indexOf('\r') < 0
                ? text
                : text.replace("\r", "").replace("\n", "");
    }
}
