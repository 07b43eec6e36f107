package io.incidentstream.silence;

import io.incidentstream.errors.BadRequestException;
import io.incidentstream.errors.NotFoundException;
import io.incidentstream.model.LabelMatcher;
import io.incidentstream.model.Texts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Alertmanager's silence operations, per tenant, over a {@link SilenceLog} and this instance's
 * {@link SilenceView}; knows nothing of HTTP.
 *
 * <p>An update ({@code id} given) follows Alertmanager: the silence is changed in place when its matchers
 * (and recurrence) are the same and the change of times is one it allows (an active silence keeps its
 * {@code startsAt} and may not end in the past; a pending one may not start in the past); otherwise the old
 * one is expired (unless it already is) and a new one, with a new id, replaces it. A new silence that
 * starts in the past starts now.
 */
public final class SilenceService {
    /** {@code SILENCE_RETENTION}'s default: how long an expired silence is still listed, as Alertmanager. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(5);

    /** Silences not yet expired that one tenant may hold at most. */
    public static final int MAX_LIVE_PER_TENANT = 1000;

    private final SilenceLog log;
    private final SilenceView view;
    private final Clock clock;
    private final Duration retention;

    public SilenceService(final SilenceLog log, final SilenceView view, final Clock clock, final Duration retention) {
        this.log = log;
        this.view = view;
        this.clock = clock;
        this.retention = retention;
    }

    /** Creates or updates a silence; returns its id (a new one when Alertmanager would make a new one). */
    public String upsert(final String tenant, final PostableSilence p) {
        final Instant now = clock.instant();
        if (p.endsAt().isBefore(now)) {
            throw new BadRequestException("end time can't be in the past");
        }
        final Silence prev = p.id() == null ? null : find(tenant, p.id());
        if (prev != null && canUpdate(prev, p, now)) {
            log.put(silence(prev.id(), tenant, p, p.startsAt(), now));
            return prev.id();
        }
        if (live(tenant, now) >= MAX_LIVE_PER_TENANT) {
            throw new BadRequestException("this tenant already has " + MAX_LIVE_PER_TENANT
                    + " silences that have not expired; expire some first");
        }
        if (prev != null && prev.state(now) != SilenceState.EXPIRED) {
            expire(prev, now);
        }
        final String id = UUID.randomUUID().toString();
        log.put(silence(id, tenant, p, p.startsAt().isBefore(now) ? now : p.startsAt(), now));
        return id;
    }

    /** {@code DELETE /api/v2/silence/{id}}: an active silence ends now, a pending one never starts. */
    public void expire(final String tenant, final String id) {
        final Silence s = find(tenant, id);
        final Instant now = clock.instant();
        if (s.state(now) == SilenceState.EXPIRED) {
            throw new BadRequestException("silence " + id + " already expired");
        }
        expire(s, now);
    }

    public GettableSilence get(final String tenant, final String id) {
        return GettableSilence.of(find(tenant, id), clock.instant());
    }

    /**
     * The tenant's silences whose matchers pass every {@code filter} matcher (applied to each silence's
     * matchers read as labels, name to value, as Alertmanager does), sorted as Alertmanager sorts them:
     * active by {@code endsAt}, then pending by {@code startsAt}, then expired, latest ended first.
     */
    public List<GettableSilence> list(final String tenant, final List<LabelMatcher> filter) {
        final Instant now = clock.instant();
        final List<GettableSilence> out = new ArrayList<>();
        for (Silence s : view.all(tenant)) {
            if (retained(s, now) && passes(s, filter)) {
                out.add(GettableSilence.of(s, now));
            }
        }
        out.sort(ORDER);
        return out;
    }

    private static final Comparator<GettableSilence> ORDER = Comparator.<GettableSilence>comparingInt(
                    g -> switch (g.status().state()) {
                        case ACTIVE -> 0;
                        case PENDING -> 1;
                        case EXPIRED -> 2;
                    })
            .thenComparing((a, b) -> switch (a.status().state()) {
                case ACTIVE -> a.endsAt().compareTo(b.endsAt());
                case PENDING -> a.startsAt().compareTo(b.startsAt());
                case EXPIRED -> b.endsAt().compareTo(a.endsAt());
            })
            .thenComparing(GettableSilence::id);

    private static boolean passes(final Silence s, final List<LabelMatcher> filter) {
        final Map<String, String> asLabels = new HashMap<>();
        s.matchers().forEach(m -> asLabels.put(m.name(), m.value()));
        return filter.stream().allMatch(f -> f.matches(asLabels));
    }

    private boolean retained(final Silence s, final Instant now) {
        return s.endsAt().isAfter(now.minus(retention));
    }

    private long live(final String tenant, final Instant now) {
        return view.all(tenant).stream()
                .filter(s -> s.state(now) != SilenceState.EXPIRED)
                .count();
    }

    private Silence find(final String tenant, final String id) {
        return view.get(tenant, id)
                .filter(s -> retained(s, clock.instant()))
                .orElseThrow(() -> new NotFoundException("silence " + Texts.abbreviateId(id) + " not found"));
    }

    private void expire(final Silence s, final Instant now) {
        final boolean pending = s.state(now) == SilenceState.PENDING;
        log.put(new Silence(
                s.id(),
                s.tenantId(),
                s.matchers(),
                pending ? now : s.startsAt(),
                now,
                s.createdBy(),
                s.comment(),
                now,
                s.recurrence(),
                s.annotations()));
    }

    /** Alertmanager's {@code canUpdate}. */
    private static boolean canUpdate(final Silence prev, final PostableSilence next, final Instant now) {
        if (!prev.matchers().equals(next.matchers()) || !Objects.equals(prev.recurrence(), next.recurrence())) {
            return false;
        }
        return switch (prev.state(now)) {
            case ACTIVE ->
                next.startsAt().equals(prev.startsAt()) && !next.endsAt().isBefore(now);
            case PENDING -> !next.startsAt().isBefore(now);
            case EXPIRED -> false;
        };
    }

    private static Silence silence(
            final String id, final String tenant, final PostableSilence p, final Instant startsAt, final Instant now) {
        return new Silence(
                id,
                tenant,
                p.matchers(),
                startsAt,
                p.endsAt(),
                p.createdBy(),
                p.comment(),
                now,
                p.recurrence(),
                p.annotations());
    }
}
