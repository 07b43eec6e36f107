package io.incidentstream.silence;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.incidentstream.model.LabelMatcher;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A silence of one tenant, as stored on the {@code silences} topic (key {@code tenant/id}). Its state
 * follows from {@code startsAt} and {@code endsAt} as in Alertmanager; it mutes an alert whose labels
 * pass every matcher while active and, with a {@link Recurrence}, only inside a window.
 *
 * @param recurrence null for an ordinary silence
 * @param annotations free-form key/value notes, as Alertmanager's silences have them
 */
public record Silence(
        String id,
        String tenantId,
        List<SilenceMatcher> matchers,
        Instant startsAt,
        Instant endsAt,
        String createdBy,
        String comment,
        Instant updatedAt,
        Recurrence recurrence,
        Map<String, String> annotations) {

    @JsonCreator
    public Silence {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(startsAt, "startsAt");
        Objects.requireNonNull(endsAt, "endsAt");
        matchers = List.copyOf(matchers);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /** A silence without annotations. */
    public Silence(
            final String id,
            final String tenantId,
            final List<SilenceMatcher> matchers,
            final Instant startsAt,
            final Instant endsAt,
            final String createdBy,
            final String comment,
            final Instant updatedAt,
            final Recurrence recurrence) {
        this(id, tenantId, matchers, startsAt, endsAt, createdBy, comment, updatedAt, recurrence, Map.of());
    }

    /** The topic key: the tenant, then the id (ids hold no {@code /}). */
    public String key() {
        return key(tenantId, id);
    }

    public static String key(final String tenant, final String id) {
        return tenant + "/" + id;
    }

    /** Pending before {@code startsAt}, active from it until {@code endsAt}, expired from {@code endsAt} on. */
    public SilenceState state(final Instant now) {
        if (now.isBefore(startsAt)) {
            return SilenceState.PENDING;
        }
        return now.isBefore(endsAt) ? SilenceState.ACTIVE : SilenceState.EXPIRED;
    }

    /** Whether it mutes at {@code at}: active, and inside a window when it recurs. */
    public boolean mutesAt(final Instant at) {
        return state(at) == SilenceState.ACTIVE && (recurrence == null || recurrence.windowAt(at) != null);
    }

    /** The matchers compiled, for {@link #matches}. */
    public List<LabelMatcher> compiled() {
        return matchers.stream().map(SilenceMatcher::compile).toList();
    }

    /** Whether labels pass every matcher (compiled by {@link #compiled}). */
    public static boolean matches(final List<LabelMatcher> compiled, final Map<String, String> labels) {
        for (LabelMatcher m : compiled) {
            if (!m.matches(labels)) {
                return false;
            }
        }
        return true;
    }
}
