package io.incidentstream.silence;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Alertmanager's {@code gettableSilence} ({@code annotations} always, {@code {}} when none), plus
 * {@code recurrence} when the silence has one.
 */
public record GettableSilence(
        String id,
        Status status,
        Instant updatedAt,
        List<SilenceMatcher> matchers,
        Instant startsAt,
        Instant endsAt,
        String createdBy,
        String comment,
        Map<String, String> annotations,
        Recurrence recurrence) {

    /** {@code silenceStatus}. */
    public record Status(SilenceState state) {}

    /** A silence as answered at {@code now}. */
    public static GettableSilence of(final Silence s, final Instant now) {
        return new GettableSilence(
                s.id(),
                new Status(s.state(now)),
                s.updatedAt(),
                s.matchers(),
                s.startsAt(),
                s.endsAt(),
                s.createdBy(),
                s.comment(),
                s.annotations(),
                s.recurrence());
    }
}
