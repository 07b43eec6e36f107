package io.incidentstream.silence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** When a silence stops muting, within a span of time; pure. */
final class SilenceEndings {
    private SilenceEndings() {}

    /**
     * The instants in {@code (from, to]} at which {@code silence} stops muting: the end of each stretch
     * where it mutes, a stretch being [{@code startsAt}, {@code endsAt}) cut to each window when it
     * recurs. An empty stretch (expired before it started) never ends.
     */
    static List<Instant> between(final Silence silence, final Instant from, final Instant to) {
        final List<Instant> out = new ArrayList<>();
        if (silence.recurrence() == null) {
            if (silence.startsAt().isBefore(silence.endsAt()) && within(silence.endsAt(), from, to)) {
                out.add(silence.endsAt());
            }
            return out;
        }
        if (!silence.endsAt().isAfter(from) || silence.startsAt().isAfter(to)) {
            return out;
        }
        for (Recurrence.Window w :
                silence.recurrence().windowsAround(max(from, silence.startsAt()), min(to, silence.endsAt()))) {
            final Instant start = max(w.start(), silence.startsAt());
            final Instant end = min(w.end(), silence.endsAt());
            if (start.isBefore(end) && within(end, from, to)) {
                out.add(end);
            }
        }
        return out;
    }

    private static boolean within(final Instant at, final Instant from, final Instant to) {
        return at.isAfter(from) && !at.isAfter(to);
    }

    private static Instant max(final Instant a, final Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(final Instant a, final Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
