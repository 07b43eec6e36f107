package io.incidentstream.http;

import io.incidentstream.errors.BadRequestException;
import io.incidentstream.model.IncidentCommand;
import io.incidentstream.query.IncidentWrites;
import io.incidentstream.query.WriteOutcome;
import io.incidentstream.query.WriteRequests;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /incidents}, {@code PATCH /incidents/{id}}, {@code DELETE /incidents/{id}}. Each
 * request becomes one command; an {@code Idempotency-Key} header makes retries of the same request
 * the same command (applied once, answered alike), and the key sent again with another body a 422
 * (see {@link IncidentWrites}).
 */
final class IncidentWriteController {
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final int MAX_IDEMPOTENCY_KEY = 256;

    private final IncidentWrites writes;
    private final Clock clock;
    private final ShownIncidents shown;

    IncidentWriteController(final IncidentWrites writes, final Clock clock, final ShownIncidents shown) {
        this.writes = writes;
        this.clock = clock;
        this.shown = shown;
    }

    void create(final Context ctx) {
        answer(
                ctx,
                writes.submit(WriteRequests.create(
                        JsonBodies.of(ctx), commandId(ctx), Tenants.of(ctx), Tenants.actor(ctx), now())));
    }

    void update(final Context ctx) {
        answer(
                ctx,
                writes.submit(WriteRequests.update(
                        JsonBodies.of(ctx),
                        commandId(ctx),
                        Tenants.of(ctx),
                        Tenants.actor(ctx),
                        now(),
                        ctx.pathParam("id"))));
    }

    void delete(final Context ctx) {
        final IncidentCommand command =
                WriteRequests.delete(commandId(ctx), Tenants.of(ctx), Tenants.actor(ctx), now(), ctx.pathParam("id"));
        answer(ctx, writes.submit(command));
    }

    /** Millisecond precision, like every other time the API shows and the index sorts by. */
    private java.time.Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    private void answer(final Context ctx, final WriteOutcome outcome) {
        if (outcome.location() != null) {
            ctx.header("Location", outcome.location());
        }
        switch (outcome.status()) {
            case 204 -> ctx.status(204);
            case 202 -> ctx.status(202).json(Map.of("message", "accepted; not applied yet, see Location"));
            default -> ctx.status(outcome.status()).json(shown.shown(outcome.incident()));
        }
    }

    /** The command id: derived from the caller's Idempotency-Key (per tenant), else random. */
    private static String commandId(final Context ctx) {
        final String key = ctx.header(IDEMPOTENCY_KEY);
        if (key == null) {
            return UUID.randomUUID().toString();
        }
        if (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY) {
            throw new BadRequestException(IDEMPOTENCY_KEY + " must be 1-" + MAX_IDEMPOTENCY_KEY + " characters");
        }
        try {
            final byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((Tenants.of(ctx) + "\n" + ctx.method() + "\n" + ctx.path() + "\n" + key)
                            .getBytes(StandardCharsets.UTF_8));
            return "idem-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
