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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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

    /** Frames to the client; an incident shows as the API shows it, with {@code silenced} and {@code silencedBy}. */
    private StreamSession.Frames frames(final SseClient client) {
        return new StreamSession.Frames() {
            @Override
            public void event(final String name, final String id, final Object data) {
                final Object shownData = data instanceof Incident i ? shown.shown(i) : data;
                if (id == null) {
                    client.sendEvent(name, shownData);
                } else {
                    client.sendEvent(name, shownData, id);
                }
            }

            @Override
            public Object incident(final StreamEvent e) {
                return shown.shownJson(e.incident(), e.json());
            }

            @Override
            public void comment(final String text) {
                client.sendComment(text);
            }

            @Override
            public boolean open() {
                return !client.terminated();
            }
        };
    }
}
